/**
 * The Code Trace of one kernel: every breakpoint hit the probe recorded, in
 * order, bounded. State only: the service feeds it pushed and fetched batches.
 */
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { ITrace, ITraceRow } from '../kernel/protocol';

/**
 * The rows of one kernel's trace and what was lost on the way.
 */
export class TraceModel implements IDisposable {
  constructor(options: TraceModel.IOptions = {}) {
    this._capacity = options.capacity ?? TraceModel.DEFAULT_CAPACITY;
  }

  /** Emitted when rows arrived, were cleared or were dropped. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted once, when the kernel of this trace is gone. */
  get disposed(): ISignal<this, void> {
    return this._disposed;
  }

  /** The rows kept, oldest first. */
  get rows(): readonly ITraceRow[] {
    return this._rows;
  }

  /** The `since` of the next `trace` request: the first seq not seen yet. */
  get next(): number {
    return this._next;
  }

  /**
   * Rows lost: by the probe (its ring overflowed before they were fetched)
   * and here (beyond the capacity, oldest first).
   */
  get dropped(): number {
    return this._dropped;
  }

  /** Why rows could not be fetched, as a sentence for the user; else empty. */
  get message(): string {
    return this._message;
  }
  set message(value: string) {
    if (value !== this._message) {
      this._message = value;
      this._changed.emit();
    }
  }

  /** The most rows kept. */
  get capacity(): number {
    return this._capacity;
  }

  /** The recorded expressions, in the order they first appeared. */
  get columns(): readonly string[] {
    return this._columns;
  }

  /** Whether any row recorded a number for this column. */
  isNumeric(column: string): boolean {
    return this._numeric.has(column);
  }

  /** The columns that hold numbers, which can be plotted. */
  numericColumns(): string[] {
    return this._columns.filter(c => this._numeric.has(c));
  }

  /** A column's numbers over the rows kept; NaN where a row has none. */
  series(column: string): number[] {
    return this._rows.map(row => row.values[column]?.number ?? NaN);
  }

  /**
   * Add a batch, pushed or fetched. Rows already seen are skipped, so a push
   * and a fetch that overlap add each row once.
   */
  append(batch: ITrace): void {
    const fresh = batch.rows.filter(row => row.seq >= this._next);
    const probeDropped = batch.next > this._next ? batch.dropped : 0;
    if (fresh.length === 0 && probeDropped === 0) {
      this._next = Math.max(this._next, batch.next);
      return;
    }
    this._dropped += probeDropped;
    for (const row of fresh) {
      this._rows.push(row);
      for (const [column, value] of Object.entries(row.values)) {
        if (!this._columnSet.has(column)) {
          this._columnSet.add(column);
          this._columns.push(column);
        }
        if (value.number !== null) {
          this._numeric.add(column);
        }
      }
    }
    const over = this._rows.length - this._capacity;
    if (over > 0) {
      this._rows.splice(0, over);
      this._dropped += over;
    }
    const after = fresh.length > 0 ? fresh[fresh.length - 1].seq + 1 : 0;
    this._next = Math.max(this._next, batch.next, after);
    this._changed.emit();
  }

  /**
   * Forget every row; `next` is where the probe continues after its own
   * `clear_trace`.
   */
  clear(next: number = this._next): void {
    this._rows = [];
    this._columns = [];
    this._columnSet.clear();
    this._numeric.clear();
    this._dropped = 0;
    this._next = next;
    this._changed.emit();
  }

  /**
   * The kernel restarted: its probe numbers rows from 1 again. The rows
   * already here stay, as a record of the run before.
   */
  restarted(): void {
    this._next = 0;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._disposed.emit();
    Signal.clearData(this);
  }

  private _capacity: number;
  private _rows: ITraceRow[] = [];
  private _columns: string[] = [];
  private _columnSet = new Set<string>();
  private _numeric = new Set<string>();
  private _next = 0;
  private _dropped = 0;
  private _message = '';
  private _changed = new Signal<this, void>(this);
  private _disposed = new Signal<this, void>(this);
  private _isDisposed = false;
}

export namespace TraceModel {
  export interface IOptions {
    /** The most rows kept; older ones are dropped and counted. */
    capacity?: number;
  }

  export const DEFAULT_CAPACITY = 5000;
}
