/**
 * The breakpoints of one notebook, plain ones too, each at a cell and line and
 * with the actions the user gave it. State only: no I/O.
 */
import { UUID } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { IBreakpointActions, IStoredBreakpoint } from './actions';
import { hasActions, NO_ACTIONS, normalise, sameActions } from './actions';
import type { ITextDeltaStep } from './edits';
import { mapLines } from './edits';

/**
 * Breakpoints attached to editor positions (cell id + line), not to the
 * debugger's source paths, which change with every edit of a cell.
 */
export class BreakpointActionStore implements IDisposable {
  /** Emitted with the ids of the cells whose breakpoints changed. */
  get changed(): ISignal<this, BreakpointActionStore.IChange> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Every breakpoint, cell by cell. */
  get all(): IStoredBreakpoint[] {
    return ([] as IStoredBreakpoint[]).concat(...this._cells.values());
  }

  /** The breakpoints that need the probe. */
  get withActions(): IStoredBreakpoint[] {
    return this.all.filter(b => hasActions(b.actions));
  }

  /** The breakpoints of a cell, by line. */
  cell(cellId: string): readonly IStoredBreakpoint[] {
    return this._cells.get(cellId) ?? [];
  }

  /** The breakpoint at a cell's line, if any. */
  at(cellId: string, line: number): IStoredBreakpoint | undefined {
    return this.cell(cellId).find(b => b.line === line);
  }

  /** A breakpoint by id. */
  get(id: string): IStoredBreakpoint | undefined {
    return this.all.find(b => b.id === id);
  }

  /** The breakpoint at a line, created plain when there is none. */
  ensure(cellId: string, line: number): IStoredBreakpoint {
    const existing = this.at(cellId, line);
    if (existing) {
      return existing;
    }
    const created: IStoredBreakpoint = {
      id: UUID.uuid4(),
      cellId,
      line,
      actions: NO_ACTIONS
    };
    this._put(cellId, [...this.cell(cellId), created]);
    return created;
  }

  /** Give a breakpoint new actions; a plain breakpoint has NO_ACTIONS. */
  setActions(id: string, actions: IBreakpointActions): void {
    const found = this.get(id);
    if (!found || sameActions(found.actions, actions)) {
      return;
    }
    this._put(
      found.cellId,
      this.cell(found.cellId).map(b =>
        b.id === id ? { ...b, actions: normalise(actions) } : b
      )
    );
  }

  /** Remove a breakpoint. */
  remove(id: string): void {
    const found = this.get(id);
    if (found) {
      this._put(
        found.cellId,
        this.cell(found.cellId).filter(b => b.id !== id)
      );
    }
  }

  /**
   * Make a cell's breakpoints sit on exactly `lines`, as JupyterLab's gutter
   * has them: those on other lines go, new lines get plain breakpoints, and
   * breakpoints already there keep their id and actions.
   */
  syncLines(cellId: string, lines: readonly number[]): void {
    const wanted = new Set(lines);
    const kept = this.cell(cellId).filter(b => wanted.has(b.line));
    for (const line of wanted) {
      if (!kept.some(b => b.line === line)) {
        kept.push({ id: UUID.uuid4(), cellId, line, actions: NO_ACTIONS });
      }
    }
    if (!sameList(kept, this.cell(cellId))) {
      this._put(cellId, kept);
    }
  }

  /** Replace a cell's breakpoints, as read from its metadata. */
  replaceCell(cellId: string, breakpoints: readonly IStoredBreakpoint[]): void {
    const next = breakpoints.map(b => ({ ...b, cellId }));
    if (!sameList(next, this.cell(cellId))) {
      this._put(cellId, next);
    }
  }

  /** Forget a cell's breakpoints: the cell was deleted. */
  removeCell(cellId: string): void {
    if (this._cells.has(cellId)) {
      this._cells.delete(cellId);
      this._changed.emit({ cellIds: [cellId] });
    }
  }

  /**
   * Move a cell's breakpoints with an edit of its text; those whose line the
   * edit deleted go, and two that land on one line become the first.
   */
  applyEdit(
    cellId: string,
    oldText: string,
    delta: readonly ITextDeltaStep[]
  ): void {
    const current = this.cell(cellId);
    if (!current.length) {
      return;
    }
    const lines = mapLines(
      oldText,
      delta,
      current.map(b => b.line)
    );
    const next: IStoredBreakpoint[] = [];
    current.forEach((b, i) => {
      const line = lines[i];
      if (line !== null && !next.some(n => n.line === line)) {
        next.push(line === b.line ? b : { ...b, line });
      }
    });
    if (!sameList(next, current)) {
      this._put(cellId, next);
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._cells.clear();
    Signal.clearData(this);
  }

  private _put(cellId: string, breakpoints: IStoredBreakpoint[]): void {
    const sorted = [...breakpoints].sort((a, b) => a.line - b.line);
    if (sorted.length) {
      this._cells.set(cellId, sorted);
    } else {
      this._cells.delete(cellId);
    }
    this._changed.emit({ cellIds: [cellId] });
  }

  private _cells = new Map<string, IStoredBreakpoint[]>();
  private _changed = new Signal<this, BreakpointActionStore.IChange>(this);
  private _isDisposed = false;
}

export namespace BreakpointActionStore {
  /** Which cells' breakpoints changed. */
  export interface IChange {
    cellIds: string[];
  }
}

function sameList(
  a: readonly IStoredBreakpoint[],
  b: readonly IStoredBreakpoint[]
): boolean {
  if (a.length !== b.length) {
    return false;
  }
  const sort = (l: readonly IStoredBreakpoint[]) =>
    [...l].sort((x, y) => x.line - y.line);
  const [sa, sb] = [sort(a), sort(b)];
  return sa.every(
    (x, i) =>
      x.id === sb[i].id &&
      x.line === sb[i].line &&
      sameActions(x.actions, sb[i].actions)
  );
}
