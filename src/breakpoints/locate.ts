/**
 * Which notebook cell, file or kernel source, and which line, a right-click
 * on a gutter is about.
 */
import { EditorView } from '@codemirror/view';
import { CodeMirrorEditor } from '@jupyterlab/codemirror';
import type { IDebugger } from '@jupyterlab/debugger';
import type { IEditorTracker } from '@jupyterlab/fileeditor';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { Widget } from '@lumino/widgets';

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
  return { cellId: cell.model.id, line: lineAt(editor.editor, event) };
}

/**
 * `{path, line}` for a mouse event on a file editor's gutters, `path` being
 * the document's; null unless JupyterLab's debugger has a breakpoint on
 * that line, so that every other click keeps its built-in meaning.
 */
export function locateFileGutter(
  editorTracker: IEditorTracker,
  debug: IDebugger,
  target: Element,
  event: MouseEvent
): ReadonlyPartialJSONObject | null {
  const view = gutterView(target);
  const widget = view && editorTracker.find(w => w.node.contains(target));
  if (!view || !widget) {
    return null;
  }
  const line = lineAt(view, event);
  // JupyterLab's file handler names a file by its text, as it does a cell.
  const sourcePath = codeId(debug, widget.content.model.sharedModel.getSource());
  return sourcePath !== null && hasBreakpoint(debug, sourcePath, line)
    ? { path: widget.context.path, line }
    : null;
}

/**
 * `{path, line}` for a mouse event on the gutters of a read-only editor the
 * debugger opened for a kernel source, `path` being the source's path in the
 * kernel (the debugger makes it the tab's caption); null unless that line
 * holds a breakpoint.
 */
export function locateSourceGutter(
  mainWidgets: () => Iterable<Widget>,
  debug: IDebugger,
  target: Element,
  event: MouseEvent
): ReadonlyPartialJSONObject | null {
  const view = gutterView(target);
  const path = view && sourceEditorPath(mainWidgets, target);
  if (!view || !path) {
    return null;
  }
  const line = lineAt(view, event);
  return hasBreakpoint(debug, path, line) ? { path, line } : null;
}

/**
 * The kernel path of the source shown by the debugger's read-only editor
 * that holds `element`, in the main area (the debugger makes the path the
 * tab's caption); undefined for any other element.
 */
export function sourceEditorPath(
  mainWidgets: () => Iterable<Widget>,
  element: Element
): string | undefined {
  // The debugger's ReadOnlyEditorFactory marks its editors so.
  const wrapper = element.closest('[data-jp-debugger="true"]');
  if (!wrapper) {
    return undefined;
  }
  for (const widget of mainWidgets()) {
    if (widget.node.contains(wrapper)) {
      return widget.title.caption || undefined;
    }
  }
  return undefined;
}

/** The 1-based line at a mouse event's height. */
function lineAt(view: EditorView, event: MouseEvent): number {
  const block = view.lineBlockAtHeight(event.clientY - view.documentTop);
  return view.state.doc.lineAt(block.from).number;
}

/** The editor of gutters that hold JupyterLab's breakpoint gutter. */
function gutterView(target: Element): EditorView | null {
  const gutters = target.closest('.cm-gutters');
  const dom = gutters?.closest('.cm-editor');
  if (!gutters?.querySelector(BREAKPOINT_GUTTER_SELECTOR) || !dom) {
    return null;
  }
  return dom instanceof HTMLElement ? EditorView.findFromDOM(dom) : null;
}

function hasBreakpoint(debug: IDebugger, path: string, line: number): boolean {
  return debug.model.breakpoints.getBreakpoints(path).some(b => b.line === line);
}

function codeId(debug: IDebugger, code: string): string | null {
  try {
    return debug.getCodeId(code);
  } catch {
    // Before the first debugInfo there is no hash, and no breakpoint either.
    return null;
  }
}
