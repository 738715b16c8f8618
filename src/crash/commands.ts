/**
 * Crash and Hang commands: read again, dismiss the report, read the stacks
 * from outside the kernel, and bring the report's last cell into view.
 */
import { Notification } from '@jupyterlab/apputils';
import type { Notebook } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import { DisposableSet } from '@lumino/disposable';
import type { CrashService } from './service';

export namespace CrashCommandIDs {
  export const refresh = 'ml-debugger:refresh-crash';
  export const dismiss = 'ml-debugger:dismiss-crash';
  export const readOutside = 'ml-debugger:read-outside-stacks';
  export const showCell = 'ml-debugger:show-crash-cell';
}

/** Where a report's cell is: an open notebook of the kernel, and the cell's index in it. */
export interface ICellPlace {
  notebook: Notebook;
  index: number;
  /** Bring the notebook's tab forward. */
  activate(): void;
}

/** Add the Crash and Hang commands; disposing the result removes them. */
export function addCrashCommands(
  commands: CommandRegistry,
  service: CrashService,
  options: {
    trans: TranslationBundle;
    /** The open notebook of `kernelId` that holds the cell `cellId`, if any. */
    findCell: (kernelId: string, cellId: string) => ICellPlace | null;
  }
): IDisposable {
  const { trans, findCell } = options;
  const model = service.model;
  const cellOf = (args: ReadonlyPartialJSONObject): ICellPlace | null => {
    const cellId = args.cellId;
    const kernelId = model.kernelId;
    return typeof cellId === 'string' && kernelId !== null ? findCell(kernelId, cellId) : null;
  };
  const fail = (reason: unknown) =>
    Notification.error(reason instanceof Error ? reason.message : String(reason), { autoClose: 8000 });
  const set = new DisposableSet();
  set.add(
    commands.addCommand(CrashCommandIDs.refresh, {
      label: trans.__('Refresh Crash and Hang'),
      caption: trans.__('Read the crash reports of this kernel again, and the hang flag of a running cell'),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      execute: () => service.refresh()
    })
  );
  set.add(
    commands.addCommand(CrashCommandIDs.dismiss, {
      label: trans.__('Dismiss Crash Report'),
      caption: trans.__('Forget this crash report; the server deletes it'),
      isEnabled: () => model.report !== null && model.dismissing === null,
      execute: () => service.dismiss().catch(fail)
    })
  );
  set.add(
    commands.addCommand(CrashCommandIDs.readOutside, {
      label: trans.__('Read Stacks from Outside the Kernel'),
      caption: trans.__('Read every thread’s stack, native frames included, with py-spy from outside the kernel’s process'),
      isEnabled: () => model.kernelId !== null && !model.outsideLoading,
      execute: () => service.readOutside()
    })
  );
  set.add(
    commands.addCommand(CrashCommandIDs.showCell, {
      label: trans.__('Show the Cell That Ran Last'),
      isEnabled: args => cellOf(args) !== null,
      execute: async args => {
        const place = cellOf(args);
        if (!place) {
          Notification.warning(
            trans.__('The cell is not in an open notebook of this kernel. Open the notebook, then try again.'),
            { autoClose: 8000 }
          );
          return;
        }
        place.activate();
        place.notebook.activeCellIndex = place.index;
        await place.notebook.scrollToItem(place.index, 'center');
      }
    })
  );
  return set;
}
