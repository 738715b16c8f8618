/**
 * Action markers in the debugger's read-only kernel-source editors. Their
 * model holds no path: an editor learns it once it is in the page, from the
 * main-area tab the debugger captioned with the source's path, and only
 * then gains the marker gutter, so no other inline editor gets a gutter.
 */
import type { Extension } from '@codemirror/state';
import { Compartment } from '@codemirror/state';
import type { EditorView, ViewUpdate } from '@codemirror/view';
import { ViewPlugin } from '@codemirror/view';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IBreakpointGutterSource } from './gutter';
import { breakpointGutter } from './gutter';

/**
 * The extension for an inline editor that may be a kernel-source editor;
 * `pathOf` gives the source's path for the editor's node, or undefined.
 */
export function sourceEditorGutter(
  pathOf: (node: Element) => string | undefined,
  source: IBreakpointGutterSource,
  trans: TranslationBundle
): Extension {
  const slot = new Compartment();
  const watcher = ViewPlugin.fromClass(
    class {
      constructor(readonly view: EditorView) {}

      update(update: ViewUpdate): void {
        if (this._path !== undefined || !(update.geometryChanged || update.docChanged)) {
          return;
        }
        const path = pathOf(this.view.dom);
        if (path === undefined) {
          return;
        }
        this._path = path;
        // No dispatch while CodeMirror is applying an update.
        queueMicrotask(() => {
          if (!this._destroyed) {
            this.view.dispatch({
              effects: slot.reconfigure(breakpointGutter(() => path, source, trans))
            });
          }
        });
      }

      destroy(): void {
        this._destroyed = true;
      }

      private _path: string | undefined = undefined;
      private _destroyed = false;
    }
  );
  return [slot.of([]), watcher];
}
