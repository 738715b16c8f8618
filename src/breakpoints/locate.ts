/**
 * Which notebook cell and line a right-click on a gutter is about.
 */
import { CodeMirrorEditor } from '@jupyterlab/codemirror';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

/** JupyterLab's breakpoint gutter: present while the debugger is on. */
const BREAKPOINT_GUTTER_SELECTOR = '.cm-breakpoint-gutter';

/**
 * `{cellId, line}` for a mouse event on a cell editor's gutters, or null
 * when the editor has no breakpoint gutter (the debugger is off for it).
 */
export function locateCellGutter(
  notebookTracker: INotebookTracker,
  target: Element,
  event: MouseEvent
): ReadonlyPartialJSONObject | null {
  const gutters = target.closest('.cm-gutters');
  if (!gutters?.querySelector(BREAKPOINT_GUTTER_SELECTOR)) {
    return null;
  }
  const panel = notebookTracker.find(p => p.node.contains(target));
  const cell = panel?.content.widgets.find(w => w.node.contains(target));
  const editor = cell?.editor;
  if (!cell || !(editor instanceof CodeMirrorEditor)) {
    return null;
  }
  const view = editor.editor;
  const block = view.lineBlockAtHeight(event.clientY - view.documentTop);
  return { cellId: cell.model.id, line: view.state.doc.lineAt(block.from).number };
}
