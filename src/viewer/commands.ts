/**
 * Tensor viewer commands: open a viewer in the main area for a value (from
 * a right-clicked row or variable, or a name typed in the palette), and
 * refresh the current viewer.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import { DisposableSet } from '@lumino/disposable';
import type { ISubject } from '../structure/subjects';
import { askSubject, subjectOfArgs } from '../structure/subjects';

export namespace ViewerCommandIDs {
  export const open = 'ml-debugger:open-tensor-viewer';
  export const refresh = 'ml-debugger:refresh-tensor-viewer';
}

const VIEWABLE = ['tensor', 'ndarray', 'dataframe', 'series'];

/** Add the viewer commands; disposing the result removes them. */
export function addViewerCommands(
  commands: CommandRegistry,
  options: {
    trans: TranslationBundle;
    fromContextMenu: () => ISubject | null;
    open: (subject: ISubject) => Promise<void>;
    refreshCurrent: (() => Promise<void>) | null;
  }
): IDisposable {
  const { trans, fromContextMenu, open } = options;
  const set = new DisposableSet();
  set.add(
    commands.addCommand(ViewerCommandIDs.open, {
      label: trans.__('Open in Tensor Viewer'),
      caption: trans.__(
        'Show a tensor or array as a heatmap of a 2-D slice with a histogram, or a DataFrame with its column statistics'
      ),
      isVisible: args => {
        if (args.palette || args.label || args.toolbar) {
          return true;
        }
        const kind = fromContextMenu()?.kind;
        return kind === undefined || VIEWABLE.includes(kind);
      },
      execute: async args => {
        const subject =
          subjectOfArgs(args, fromContextMenu) ??
          (await askSubject(trans, trans.__('Open in Tensor Viewer')));
        if (subject) {
          await open(subject);
        }
      }
    })
  );
  if (options.refreshCurrent) {
    const refresh = options.refreshCurrent;
    set.add(
      commands.addCommand(ViewerCommandIDs.refresh, {
        label: trans.__('Refresh Tensor Viewer'),
        caption: trans.__('Read the viewed value again (while a cell runs it is read only when asked)'),
        icon: args => (args.toolbar ? refreshIcon : undefined),
        execute: () => refresh()
      })
    );
  }
  return set;
}
