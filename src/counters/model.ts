/**
 * State of the Counters section: the last sample of the kernel's counters
 * (with the history the probe keeps), per-thread CPU, leak flags, and
 * whether sampling is going on or why it stopped.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { ShownState } from '../dom/shownState';
import type { ICounters } from '../kernel/liveProtocol';

/**
 * The model of the Counters section.
 */
export class CountersModel extends ShownState {
  /** Emitted on any change of what the section shows. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get status(): CountersModel.Status {
    return this._status;
  }

  /** The last sample, kept through a timed-out request; null before the first. */
  get sample(): ICounters | null {
    return this._sample;
  }

  /** Why nothing could be read (status "error"), or a notice beside the sample; else ''. */
  get message(): string {
    return this._message;
  }

  /** Whether a cell is running and the counters are sampled at the interval. */
  get sampling(): boolean {
    return this._sampling;
  }

  /** Nothing sampled yet; `message` says why when there is a reason. */
  setEmpty(message = ''): void {
    this._status = 'empty';
    this._sample = null;
    this._message = message;
    this._changed.emit();
  }

  /** A request is out; the last sample stays on screen meanwhile. */
  setLoading(): void {
    if (this._status === 'ready') {
      return;
    }
    this._status = 'loading';
    this._message = '';
    this._changed.emit();
  }

  setSample(sample: ICounters): void {
    this._status = 'ready';
    this._sample = sample;
    this._message = '';
    this._changed.emit();
  }

  /** A notice that keeps the last sample, e.g. the kernel was too busy to answer. */
  setNotice(message: string): void {
    if (!this._sample) {
      this.setError(message);
      return;
    }
    this._message = message;
    this._changed.emit();
  }

  setError(message: string): void {
    this._status = 'error';
    this._sample = null;
    this._message = message;
    this._changed.emit();
  }

  setSampling(value: boolean): void {
    if (value !== this._sampling) {
      this._sampling = value;
      this._changed.emit();
    }
  }

  private _changed = new Signal<this, void>(this);
  private _status: CountersModel.Status = 'empty';
  private _sample: ICounters | null = null;
  private _message = '';
  private _sampling = false;
}

export namespace CountersModel {
  export type Status = 'empty' | 'loading' | 'ready' | 'error';
}
