/**
 * A gutter column beside JupyterLab's breakpoint dots: a marker on each line
 * whose breakpoint has a condition, log message or action, with a tooltip
 * that says what it does.
 */
import type { Extension } from '@codemirror/state';
import { Compartment, RangeSet, StateEffect } from '@codemirror/state';
import type { EditorView, ViewUpdate } from '@codemirror/view';
import { gutter, GutterMarker, ViewPlugin } from '@codemirror/view';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import type { IStoredBreakpoint } from './actions';
import { describeActions, hasActions } from './actions';

/** The gutter column's class. */
export const GUTTER_CLASS = 'jp-MLDebuggerBreakpoint-gutter';

/** The class of one marker. */
export const MARKER_CLASS = 'jp-MLDebuggerBreakpoint-marker';

/** Where the markers come from. */
export interface IBreakpointGutterSource {
  /** Emitted when any breakpoint changed. */
  readonly changed: ISignal<unknown, unknown>;
  /** The breakpoints of a cell, or of a file editor's path. */
  breakpointsOf(key: string): readonly IStoredBreakpoint[];
}

/** A marker whose tooltip says what the breakpoint does. */
export class ActionMarker extends GutterMarker {
  constructor(readonly description: string) {
    super();
  }

  eq(other: GutterMarker): boolean {
    return other instanceof ActionMarker && other.description === this.description;
  }

  toDOM(): Node {
    const node = document.createElement('div');
    node.className = MARKER_CLASS;
    node.title = this.description;
    node.setAttribute('aria-label', this.description);
    return node;
  }
}

/** The markers of a cell's breakpoints with actions, in a document. */
export function actionMarkers(
  doc: EditorView['state']['doc'],
  breakpoints: readonly IStoredBreakpoint[],
  trans: TranslationBundle
): RangeSet<GutterMarker> {
  return RangeSet.of(
    breakpoints
      .filter(b => hasActions(b.actions) && b.line <= doc.lines)
      .sort((a, b) => a.line - b.line)
      .map(b =>
        new ActionMarker(describeActions(b.actions, trans)).range(
          doc.line(b.line).from
        )
      )
  );
}

const refresh = StateEffect.define<null>();

/**
 * The editor extension for a cell's editor or a file editor: `key` names
 * the cell id or the document's path, or nothing while it is not known yet.
 *
 * The column exists only while the editor has a marker: an editor without
 * one keeps JupyterLab's own gutters as they are (none until the debugger
 * adds its breakpoint column, which tests and people wait for).
 */
export function breakpointGutter(
  key: () => string | undefined,
  source: IBreakpointGutterSource,
  trans: TranslationBundle
): Extension {
  const column = new Compartment();
  const plugin = ViewPlugin.fromClass(
    class {
      markers: RangeSet<GutterMarker>;

      constructor(readonly view: EditorView) {
        this.markers = this._compute(view.state.doc);
        source.changed.connect(this._onChanged, this);
        this._showColumn();
      }

      update(update: ViewUpdate): void {
        if (
          update.docChanged ||
          update.transactions.some(t => t.effects.some(e => e.is(refresh)))
        ) {
          this.markers = this._compute(update.state.doc);
          this._showColumn();
        }
      }

      destroy(): void {
        this._destroyed = true;
        source.changed.disconnect(this._onChanged, this);
      }

      private _compute(doc: EditorView['state']['doc']): RangeSet<GutterMarker> {
        const current = key();
        return current === undefined
          ? RangeSet.empty
          : actionMarkers(doc, source.breakpointsOf(current), trans);
      }

      private _onChanged(): void {
        // The store moves with edits while CodeMirror may still be applying
        // one: redraw once that update is done.
        queueMicrotask(() => {
          if (!this._destroyed) {
            this.view.dispatch({ effects: refresh.of(null) });
          }
        });
      }

      /** Add the column when the first marker comes, and take it away with the last. */
      private _showColumn(): void {
        const wanted = this.markers.size > 0;
        if (wanted === this._hasColumn) {
          return;
        }
        this._hasColumn = wanted;
        // No dispatch while CodeMirror builds the view or applies an update.
        queueMicrotask(() => {
          if (!this._destroyed && this._hasColumn === wanted) {
            this.view.dispatch({ effects: column.reconfigure(wanted ? markerColumn : []) });
          }
        });
      }

      private _destroyed = false;
      private _hasColumn = false;
    }
  );
  const markerColumn = gutter({
    class: GUTTER_CLASS,
    markers: view => view.plugin(plugin)?.markers ?? RangeSet.empty
  });
  return [plugin, column.of([])];
}
