/**
 * State of the Variable Values section: what is shown, how it is filtered and
 * sorted, which rows are open. No I/O: the service fills it, views read it.
 */
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { ShownState } from '../dom/shownState';
import type { IRow } from '../kernel/protocol';
import type { TargetMode } from '../live/target';
import type { IRowGroup, RowSortDirection, RowSortKey } from './rows';
import {
  appendCapped,
  historyKey,
  rowKey,
  scalarValue,
  visibleGroups
} from './rows';

/**
 * The model of the Variable Values section.
 */
export class VariableValuesModel extends ShownState implements IDisposable {
  constructor(options: VariableValuesModel.IOptions = {}) {
    super();
    this._historyLength =
      options.historyLength ?? VariableValuesModel.DEFAULT_HISTORY_LENGTH;
  }

  /** Emitted whenever anything a view shows has changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get status(): VariableValuesModel.Status {
    return this._status;
  }

  /** A plain sentence for the empty, error and unsupported states. */
  get message(): string {
    return this._message;
  }

  get mode(): VariableValuesModel.Mode {
    return this._mode;
  }

  /** Where the rows come from, e.g. "frame train_step (cell 3, line 12)". */
  get scopeLabel(): string {
    return this._scopeLabel;
  }

  /** Whether the probe left values out to stay within its budget. */
  get truncated(): boolean {
    return this._truncated;
  }

  /** Whether there is a kernel to ask; commands are enabled by it. */
  get hasKernel(): boolean {
    return this._hasKernel;
  }
  set hasKernel(value: boolean) {
    if (value !== this._hasKernel) {
      this._hasKernel = value;
      this._changed.emit();
    }
  }

  /** Every group as the kernel sent it: one for a frame, several when live. */
  get groups(): readonly VariableValuesModel.IGroup[] {
    return this._groups;
  }

  /** Case-insensitive text matched against row names and types. */
  get filter(): string {
    return this._filter;
  }
  set filter(value: string) {
    if (value !== this._filter) {
      this._filter = value;
      this._changed.emit();
    }
  }

  get sortKey(): VariableValuesModel.SortKey {
    return this._sortKey;
  }
  set sortKey(value: VariableValuesModel.SortKey) {
    if (value !== this._sortKey) {
      this._sortKey = value;
      // Biggest first is what one sorts by size for; names read A to Z.
      this._sortDirection = value === 'size' ? 'descending' : 'ascending';
      this._changed.emit();
    }
  }

  get sortDirection(): VariableValuesModel.SortDirection {
    return this._sortDirection;
  }
  set sortDirection(value: VariableValuesModel.SortDirection) {
    if (value !== this._sortDirection) {
      this._sortDirection = value;
      this._changed.emit();
    }
  }

  /** Whether rows are headed by scope (Local, Enclosing, Global): the Scope pattern. */
  get groupByScope(): boolean {
    return this._groupByScope;
  }
  set groupByScope(value: boolean) {
    if (value !== this._groupByScope) {
      this._groupByScope = value;
      this._groupingChanged.emit(value);
      this._changed.emit();
    }
  }

  /** Emitted when `groupByScope` changes: the values must be read again. */
  get groupingChanged(): ISignal<this, boolean> {
    return this._groupingChanged;
  }

  /** Groups with their top-level rows filtered and sorted; empty groups dropped while filtering. */
  get visibleGroups(): VariableValuesModel.IGroup[] {
    return visibleGroups(this._groups, {
      filter: this._filter,
      sortKey: this._sortKey,
      sortDirection: this._sortDirection
    });
  }

  /** The top-level rows of every visible group, in display order. */
  get visibleRows(): IRow[] {
    return ([] as IRow[]).concat(...this.visibleGroups.map(g => g.rows));
  }

  /** A row shown now, top-level or inside an expanded row, by its key. */
  rowByKey(key: string): IRow | undefined {
    return this._index.get(key);
  }

  /** The children of an expanded row; undefined when collapsed. */
  children(key: string): VariableValuesModel.IChildren | undefined {
    return this._children.get(key);
  }

  /** Keys of the expanded rows. */
  get expandedKeys(): string[] {
    return [...this._children.keys()];
  }

  /** The repr the user asked for on a row; undefined when not asked. */
  repr(key: string): VariableValuesModel.IRepr | undefined {
    return this._reprs.get(key);
  }

  /**
   * A masked row as the kernel sent it unmasked because the user asked to
   * reveal it; it stays revealed until the values are read again.
   */
  revealed(key: string): IRow | undefined {
    return this._revealed.get(key);
  }

  /** Show a masked row's value as revealed; null masks it again, and its repr with it. */
  setRevealed(key: string, row: IRow | null): void {
    if (row) {
      this._revealed.set(key, row);
    } else if (this._revealed.delete(key)) {
      this._reprs.delete(key);
    }
    this._changed.emit();
  }

  /** Recent numeric values of a scalar row, oldest first. */
  history(group: VariableValuesModel.IGroup, row: IRow): readonly number[] {
    return this._history.get(historyKey(group, row)) ?? [];
  }

  /** Nothing to show, with a sentence why. */
  setEmpty(message: string): void {
    this._reset('empty', message);
    this._changed.emit();
  }

  /** The kernel cannot serve this section, with the sentence saying what to do. */
  setUnsupported(message: string): void {
    this._reset('unsupported', message);
    this._changed.emit();
  }

  /** A new scope is being read; earlier rows belong to another scope. */
  setLoading(mode: VariableValuesModel.Mode, scopeLabel: string): void {
    this._reset('loading', '');
    this._mode = mode;
    this._scopeLabel = scopeLabel;
    this._changed.emit();
  }

  /**
   * A request failed. Rows stay so a transient failure during a live view
   * does not blank the list; the message says they may be stale.
   */
  setError(message: string): void {
    this._status = 'error';
    this._message = message;
    this._changed.emit();
  }

  /** Fresh values; expanded rows that still exist stay open. */
  setValues(values: VariableValuesModel.IValues): void {
    this._status = 'ready';
    this._message = '';
    this._mode = values.mode;
    this._scopeLabel = values.scopeLabel;
    this._groups = values.groups;
    this._truncated = values.truncated;
    // A revealed value, and a repr read with it, last until the values are read again.
    this._revealed.forEach((_, key) => this._reprs.delete(key));
    this._revealed.clear();
    for (const group of values.groups) {
      for (const row of group.rows) {
        this._record(group, row);
      }
    }
    this._reindex();
    this._changed.emit();
  }

  /** Children of a row: loading, loaded or failed. */
  setChildren(key: string, children: VariableValuesModel.IChildren): void {
    this._children.set(key, children);
    this._reindex();
    this._changed.emit();
  }

  /** Close a row and everything open below it. */
  collapse(key: string): void {
    if (this._children.delete(key)) {
      this._reindex();
      this._changed.emit();
    }
  }

  setRepr(key: string, repr: VariableValuesModel.IRepr): void {
    this._reprs.set(key, repr);
    this._changed.emit();
  }

  clearRepr(key: string): void {
    if (this._reprs.delete(key)) {
      this._changed.emit();
    }
  }

  /** Forget recorded scalar histories, e.g. for another kernel. */
  clearHistory(): void {
    this._history.clear();
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

  private _reset(status: VariableValuesModel.Status, message: string): void {
    this._status = status;
    this._message = message;
    this._groups = [];
    this._truncated = false;
    this._children.clear();
    this._reprs.clear();
    this._revealed.clear();
    this._index.clear();
  }

  private _record(group: VariableValuesModel.IGroup, row: IRow): void {
    const value = scalarValue(row);
    if (value === null) {
      return;
    }
    const key = historyKey(group, row);
    const series = this._history.get(key) ?? [];
    this._history.set(key, appendCapped(series, value, this._historyLength));
  }

  /**
   * Rebuild the key index from the top-level rows down through open rows, and
   * drop open rows and reprs no longer reachable: their values are gone.
   */
  private _reindex(): void {
    const index = new Map<string, IRow>();
    const visit = (rows: readonly IRow[]) => {
      for (const row of rows) {
        const key = rowKey(row.path);
        index.set(key, row);
        const children = this._children.get(key);
        if (children) {
          visit(children.rows);
        }
      }
    };
    for (const group of this._groups) {
      visit(group.rows);
    }
    for (const key of [...this._children.keys()]) {
      if (!index.has(key)) {
        this._children.delete(key);
      }
    }
    for (const key of [...this._reprs.keys()]) {
      if (!index.has(key)) {
        this._reprs.delete(key);
      }
    }
    this._index = index;
  }

  private _historyLength: number;
  private _changed = new Signal<this, void>(this);
  private _status: VariableValuesModel.Status = 'empty';
  private _message = '';
  private _mode: VariableValuesModel.Mode = 'globals';
  private _scopeLabel = '';
  private _truncated = false;
  private _hasKernel = false;
  private _groups: VariableValuesModel.IGroup[] = [];
  private _filter = '';
  private _groupByScope = false;
  private _groupingChanged = new Signal<this, boolean>(this);
  private _sortKey: VariableValuesModel.SortKey = 'name';
  private _sortDirection: VariableValuesModel.SortDirection = 'ascending';
  private _children = new Map<string, VariableValuesModel.IChildren>();
  private _reprs = new Map<string, VariableValuesModel.IRepr>();
  private _revealed = new Map<string, IRow>();
  private _index = new Map<string, IRow>();
  private _history = new Map<string, number[]>();
  private _isDisposed = false;
}

export namespace VariableValuesModel {
  export interface IOptions {
    /** How many values of a scalar row to keep for its sparkline. */
    historyLength?: number;
  }

  export const DEFAULT_HISTORY_LENGTH = 50;

  export type Status = 'empty' | 'loading' | 'ready' | 'error' | 'unsupported';

  /** Whose values are shown: those of the target's mode. */
  export type Mode = TargetMode;

  export type SortKey = RowSortKey;

  export type SortDirection = RowSortDirection;

  /** Rows of one frame or of the globals. */
  export type IGroup = IRowGroup;

  /** One refresh's worth of rows. */
  export interface IValues {
    mode: Mode;
    scopeLabel: string;
    groups: IGroup[];
    truncated: boolean;
  }

  export interface IChildren {
    status: 'loading' | 'ready' | 'error';
    rows: IRow[];
    truncated: boolean;
    /** Why loading failed; empty otherwise. */
    message: string;
  }

  export interface IRepr {
    status: 'loading' | 'ready' | 'error';
    /** The repr, or why it failed. */
    text: string;
    truncated: boolean;
  }
}
