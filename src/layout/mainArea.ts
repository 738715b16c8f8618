/**
 * Where a big view opens (a tensor viewer, a trace's plot, the pattern
 * catalogue): in JupyterLab, the main area beside the notebook. Notebook 7's
 * notebook page keeps its main area for its one notebook and turns any other
 * widget away without a word; there the view opens as a tab of the down area,
 * below the notebook, beside the ML Debugger's other views, where Notebook 7
 * also puts its own Debugger Console.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import type { Widget } from '@lumino/widgets';
import { bringForward } from './downArea';
import { VIEW_TYPE } from './views';

/** Adds `widget` to the main area, or below it where the main area refuses it, and brings it forward. */
export function openInMainArea(
  shell: JupyterFrontEnd.IShell,
  widget: Widget,
  options?: DocumentRegistry.IOpenOptions
): void {
  if (!widget.isAttached) {
    shell.add(widget, 'main', options);
  }
  if (!widget.parent) {
    shell.add(widget, 'down', { type: VIEW_TYPE });
  }
  bringForward(shell, widget);
}
