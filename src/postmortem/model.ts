/**
 * State of the Exceptions section: the last exception of the kernel with
 * its cause/context chain and frames, whether a later cell already ran past
 * it, and which frames and folded library runs are open. No I/O.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { ShownState } from '../dom/shownState';
import type { IPostmortem } from '../kernel/liveProtocol';
import { defaultOpenKey } from './chain';

/** The last exception as the probe reports it. */
export type LastError = NonNullable<IPostmortem['error']>;

/**
 * The model of the Exceptions section.
 */
export class PostmortemModel extends ShownState {
  /** Emitted whenever anything shown changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * `none`: no kernel to ask; `empty`: no cell has failed in this kernel;
   * `ready`: an exception is shown.
   */
  get status(): PostmortemModel.Status {
    return this._status;
  }

  /** Why nothing could be read, else ''. */
  get message(): string {
    return this._message;
  }

  /** The last exception, kept on screen while a new read loads. */
  get error(): LastError | null {
    return this._error;
  }

  /** Whether anything was read from this kernel yet (what shows while the next read loads). */
  get hasResult(): boolean {
    return this._hasResult;
  }

  /** A cell started after the exception: it comes from an earlier cell. */
  get stale(): boolean {
    return this._stale;
  }

  /** The position of the cell a frame's file holds, by path, where known. */
  cellOf(path: string): number | null {
    return this._cells.get(path) ?? null;
  }

  /** Whether a frame's values, or a run of library frames, is open. */
  isOpen(key: string): boolean {
    return this._open.has(key);
  }

  /** Open or close a frame's values, or a run of library frames. */
  toggle(key: string): void {
    if (!this._open.delete(key)) {
      this._open.add(key);
    }
    this._changed.emit();
  }

  setNone(message: string): void {
    this._status = 'none';
    this._message = message;
    this._error = null;
    this._hasResult = false;
    this._changed.emit();
  }

  setLoading(): void {
    this._status = 'loading';
    this._message = '';
    this._changed.emit();
  }

  setError(message: string): void {
    this._status = 'error';
    this._message = message;
    this._changed.emit();
  }

  /**
   * What a read found. A different exception opens its innermost user frame;
   * the same one keeps what the user opened.
   */
  setResult(error: LastError | null, stale: boolean, cells: ReadonlyMap<string, number>): void {
    if (error?.id !== this._error?.id) {
      const key = error ? defaultOpenKey(error.chain) : null;
      this._open = new Set(key ? [key] : []);
    }
    this._error = error;
    this._stale = stale;
    this._cells = new Map(cells);
    this._status = error ? 'ready' : 'empty';
    this._hasResult = true;
    this._message = '';
    this._changed.emit();
  }

  private _changed = new Signal<this, void>(this);
  private _status: PostmortemModel.Status = 'none';
  private _message = '';
  private _error: LastError | null = null;
  private _stale = false;
  private _hasResult = false;
  private _cells = new Map<string, number>();
  private _open = new Set<string>();
}

export namespace PostmortemModel {
  export type Status = 'none' | 'empty' | 'loading' | 'ready' | 'error';
}
