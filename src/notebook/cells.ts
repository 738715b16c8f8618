/**
 * Which cell of a notebook a source path belongs to: the debugger names a
 * cell's code by a hash of its source, so the cells are hashed to compare.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { NotebookPanel } from '@jupyterlab/notebook';

/** The 1-based position of the cell whose code the debugger ran from `path`. */
export function cellNumber(
  debug: Pick<IDebugger, 'getCodeId'>,
  notebook: Pick<NotebookPanel, 'content'> | null,
  path: string
): number | null {
  if (!path || !notebook) {
    return null;
  }
  const cells = notebook.content.widgets;
  for (let i = 0; i < cells.length; i++) {
    if (debug.getCodeId(cells[i].model.sharedModel.getSource()) === path) {
      return i + 1;
    }
  }
  return null;
}
