/**
 * The Watch section's state: the expressions of the current notebook, the
 * last value of each, and each one's numbers over refreshes. No I/O.
 */
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { ShownState } from '../dom/shownState';
import type { IWatchRow } from '../kernel/protocol';

/**
 * Watch expressions and their values.
 */
export class WatchModel extends ShownState implements IDisposable {
  /** Emitted on any change the view shows. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Emitted when the user added or removed an expression (not when a
   * notebook's saved list was loaded): time to save and evaluate.
   */
  get expressionsChanged(): ISignal<this, readonly string[]> {
    return this._expressionsChanged;
  }



  /** The expressions, in the order they were added. */
  get expressions(): readonly string[] {
    return this._expressions;
  }

  /** Where the values were read ("frame step (cell 3, line 4)", "live"…). */
  get scopeLabel(): string {
    return this._scopeLabel;
  }

  /** Why there are no values (no kernel, a failed request); else empty. */
  get message(): string {
    return this._message;
  }

  /** The last value of an expression; null before its first evaluation. */
  row(expression: string): IWatchRow | null {
    return this._rows.get(expression) ?? null;
  }

  /**
   * A masked watch's value as the kernel sent it unmasked because the user
   * asked to reveal it; it stays until the expressions are evaluated again.
   */
  revealed(expression: string): IWatchRow | null {
    return this._revealed.get(expression) ?? null;
  }

  /** Show a masked watch's value as revealed; null masks it again. */
  setRevealed(expression: string, row: IWatchRow | null): void {
    if (row) {
      this._revealed.set(expression, row);
    } else {
      this._revealed.delete(expression);
    }
    this._changed.emit();
  }

  /** An expression's numbers over refreshes, oldest first; NaN for none. */
  history(expression: string): readonly number[] {
    return this._history.get(expression) ?? [];
  }

  /**
   * Add an expression; false when it is blank or already watched.
   */
  add(expression: string): boolean {
    const text = expression.trim();
    if (!text || this._expressions.includes(text)) {
      return false;
    }
    this._expressions = [...this._expressions, text];
    this._emitExpressions();
    return true;
  }

  /** Remove an expression and what was read for it. */
  remove(expression: string): void {
    if (!this._expressions.includes(expression)) {
      return;
    }
    this._expressions = this._expressions.filter(e => e !== expression);
    this._rows.delete(expression);
    this._revealed.delete(expression);
    this._history.delete(expression);
    this._emitExpressions();
  }

  /** Replace the expressions with a notebook's saved ones, forgetting values. */
  load(expressions: readonly string[]): void {
    this._expressions = [...new Set(expressions.map(e => e.trim()).filter(Boolean))];
    this._rows.clear();
    this._revealed.clear();
    this._history.clear();
    this._changed.emit();
  }

  /** The values of one evaluation; numbers join each expression's history. */
  setRows(rows: readonly IWatchRow[], scopeLabel: string): void {
    this._revealed.clear();
    for (const row of rows) {
      if (!this._expressions.includes(row.name)) {
        continue;
      }
      this._rows.set(row.name, row);
      const history = [...this.history(row.name), row.number ?? NaN];
      this._history.set(row.name, history.slice(-WatchModel.HISTORY_LENGTH));
    }
    this._scopeLabel = scopeLabel;
    this._message = '';
    this._changed.emit();
  }

  /** Say why there are no values; the last ones stay but are marked stale. */
  setMessage(message: string): void {
    this._message = message;
    this._changed.emit();
  }

  /** Forget the numbers: they belonged to another kernel. */
  clearHistory(): void {
    this._history.clear();
    this._rows.clear();
    this._revealed.clear();
    this._changed.emit();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    Signal.clearData(this);
  }

  private _emitExpressions(): void {
    this._expressionsChanged.emit(this._expressions);
    this._changed.emit();
  }

  private _expressions: string[] = [];
  private _rows = new Map<string, IWatchRow>();
  private _revealed = new Map<string, IWatchRow>();
  private _history = new Map<string, number[]>();
  private _scopeLabel = '';
  private _message = '';
  private _changed = new Signal<this, void>(this);
  private _expressionsChanged = new Signal<this, readonly string[]>(this);
  private _isDisposed = false;
}

export namespace WatchModel {
  /** Refreshes kept per expression for its sparkline. */
  export const HISTORY_LENGTH = 60;
}
