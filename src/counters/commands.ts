/**
 * Counters commands: take a sample now.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import type { CountersService } from './service';

export namespace CountersCommandIDs {
  export const sample = 'ml-debugger:sample-counters';
}

/** Add the Counters commands; disposing the result removes them. */
export function addCountersCommands(
  commands: CommandRegistry,
  service: CountersService,
  options: { trans: TranslationBundle; reveal: () => void }
): IDisposable {
  const { trans, reveal } = options;
  return commands.addCommand(CountersCommandIDs.sample, {
    label: args => (args.toolbar ? '' : trans.__('Sample Counters')),
    caption: trans.__(
      'Sample memory, device memory, threads, child processes and open files now, and look for what only grows'
    ),
    icon: args => (args.toolbar ? refreshIcon : undefined),
    execute: args => {
      // Asked before revealing: a folded section samples when it opens, not twice.
      const done = service.sample();
      if (!args.toolbar) {
        reveal();
      }
      return done;
    }
  });
}
