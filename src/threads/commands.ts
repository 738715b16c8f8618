/**
 * Threads commands: read every thread's stack now, and Break In (pause the
 * running cell in the visual debugger).
 */
import { Notification } from '@jupyterlab/apputils';
import type { Notebook } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { pauseIcon, refreshIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import { DisposableSet } from '@lumino/disposable';
import type { BreakInState } from './breakIn';
import type { ThreadsService } from './service';

export namespace ThreadsCommandIDs {
  export const refresh = 'ml-debugger:refresh-threads';
  export const breakIn = 'ml-debugger:break-in';
}

/** Add the Threads commands; disposing the result removes them. */
export function addThreadsCommands(
  commands: CommandRegistry,
  service: ThreadsService,
  breakIn: BreakInState,
  options: {
    trans: TranslationBundle;
    /** The notebook Break In acts on: the current one. */
    notebook: () => Notebook | null;
    /** Show the Threads section, unfolded. */
    reveal: () => void;
  }
): IDisposable {
  const { trans, notebook, reveal } = options;
  const set = new DisposableSet();
  set.add(
    commands.addCommand(ThreadsCommandIDs.refresh, {
      label: trans.__('Refresh Threads'),
      caption: trans.__("Read every thread's stack now"),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      execute: () => {
        reveal();
        return service.refresh();
      }
    })
  );
  set.add(
    commands.addCommand(ThreadsCommandIDs.breakIn, {
      label: () => breakIn.label(notebook()),
      caption: () => breakIn.label(notebook()),
      icon: args => (args.toolbar ? pauseIcon : undefined),
      isEnabled: () => breakIn.isEnabled(notebook()),
      execute: async () => {
        const current = notebook();
        const verdict = breakIn.verdict(current);
        if (verdict === 'too-late' || verdict === 'debugger-off') {
          // Nothing is sent: the sentence says what to do instead.
          Notification.warning(breakIn.label(current), { autoClose: 8000 });
          return;
        }
        try {
          await breakIn.breakIn(current);
        } catch (reason) {
          Notification.error(reason instanceof Error ? reason.message : String(reason), {
            autoClose: 8000
          });
        }
      }
    })
  );
  return set;
}
