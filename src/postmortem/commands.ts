/**
 * The Exceptions command: "Debug Last Exception" shows the section and reads
 * the kernel's last exception again; nothing is re-run. A failed read shows
 * in the section, with what to do.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { bugIcon, refreshIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import type { PostmortemService } from './service';

export namespace PostmortemCommandIDs {
  export const debugLastException = 'ml-debugger:debug-last-exception';
}

/** Add the Exceptions command; disposing the result removes it. */
export function addPostmortemCommands(
  commands: CommandRegistry,
  service: PostmortemService,
  options: { trans: TranslationBundle; reveal: () => void }
): IDisposable {
  const { trans, reveal } = options;
  return commands.addCommand(PostmortemCommandIDs.debugLastException, {
    label: trans.__('Debug Last Exception'),
    caption: args =>
      args.toolbar
        ? trans.__('Read the last exception of the kernel again')
        : trans.__(
            'Show the exception the last failed cell raised, its cause and context chain, its frames and their values, without running anything again'
          ),
    icon: args => (args.toolbar ? refreshIcon : bugIcon),
    execute: async () => {
      const shown = service.model.isShown;
      reveal();
      // A section that was folded reads the exception itself as it unfolds.
      if (shown) {
        await service.refresh();
      }
    }
  });
}
