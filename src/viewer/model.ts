/**
 * State of one tensor viewer: the value, which slice is asked for, and what
 * the probe answered (slice and histogram for a tensor or array, a table for
 * a DataFrame).
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { IHistogram, ISlice, ITable } from '../kernel/structureProtocol';
import type { ISubject } from '../structure/subjects';
import { chooseAxes, normalizeIndex } from './slicing';

/**
 * The model of a tensor viewer.
 */
export class ViewerModel {
  constructor(readonly subject: ISubject) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get status(): ViewerModel.Status {
    return this._status;
  }

  get message(): string {
    return this._message;
  }

  /** Where the value was read, e.g. "frame train (cell 3, line 12)". */
  get where(): string {
    return this._where;
  }

  get slice(): ISlice | null {
    return this._slice;
  }

  get histogram(): IHistogram | null {
    return this._histogram;
  }

  get table(): ITable | null {
    return this._table;
  }

  /** The shown axes; empty until the shape is known (then the last two). */
  get axes(): readonly number[] {
    return this._axes;
  }

  /** The index of each fixed dimension. */
  get index(): readonly number[] {
    return this._index;
  }

  /** The shape from the last slice, or [] before one. */
  get shape(): readonly number[] {
    return this._slice?.shape ?? [];
  }

  /** Choose the row and column axes (kept distinct). */
  setAxes(rowAxis: number, colAxis: number): void {
    this._axes = chooseAxes(this.shape.length, rowAxis, colAxis);
    this._index = normalizeIndex(this.shape, this._axes, this._index);
    this._request.emit();
  }

  /** Fix a dimension that is not shown at an index. */
  setIndex(dim: number, value: number): void {
    const index = [...this._index];
    index[dim] = value;
    this._index = normalizeIndex(this.shape, this._axes, index);
    this._request.emit();
  }

  /** Emitted when the user asked for another slice. */
  get requested(): ISignal<this, void> {
    return this._request;
  }

  setLoading(): void {
    this._status = 'loading';
    this._changed.emit();
  }

  setSlice(slice: ISlice, histogram: IHistogram | null, where: string): void {
    const first = this._slice === null || this._slice.shape.join() !== slice.shape.join();
    this._slice = slice;
    this._histogram = histogram;
    this._table = null;
    if (first) {
      this._axes = [...slice.axes];
    }
    this._index = [...slice.index];
    this._ready(where);
  }

  setTable(table: ITable, where: string): void {
    this._table = table;
    this._slice = null;
    this._histogram = null;
    this._ready(where);
  }

  setError(message: string): void {
    this._status = 'error';
    this._message = message;
    this._changed.emit();
  }

  /** The axes and index the next slice request carries; none before the shape is known. */
  requestArgs(): { axes?: number[]; index?: number[] } {
    return this._slice ? { axes: [...this._axes], index: [...this._index] } : {};
  }

  private _ready(where: string): void {
    this._where = where;
    this._status = 'ready';
    this._message = '';
    this._changed.emit();
  }

  private _changed = new Signal<this, void>(this);
  private _request = new Signal<this, void>(this);
  private _status: ViewerModel.Status = 'loading';
  private _message = '';
  private _where = '';
  private _slice: ISlice | null = null;
  private _histogram: IHistogram | null = null;
  private _table: ITable | null = null;
  private _axes: number[] = [];
  private _index: number[] = [];
}

export namespace ViewerModel {
  export type Status = 'loading' | 'ready' | 'error';
}
