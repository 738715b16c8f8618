/**
 * State of the Threads section: the last `threads` sample of the kernel shown,
 * when it was read, whether a cell runs now, why the kernel is not answering
 * or a read failed, and which threads the user chose to see. No I/O.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { ShownState } from '../dom/shownState';
import type { IThread, IThreads } from '../kernel/liveProtocol';
import type { IThreadFilter } from './filter';
import { blockingModules, matchesFilter, NO_FILTER } from './filter';

/**
 * The model of the Threads section.
 */
export class ThreadsModel extends ShownState {
  /** Emitted on any change the view shows. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Where the kernel shown stands: no kernel, idle, a cell running, stopped. */
  get mode(): ThreadsModel.Mode {
    return this._mode;
  }

  /** The last sample of this kernel's threads; null before the first. */
  get sample(): IThreads | null {
    return this._sample;
  }

  /** When the sample was read, in ms since the epoch; null without one. */
  get sampledAt(): number | null {
    return this._sampledAt;
  }

  /** Whether a read is under way and nothing is shown yet. */
  get loading(): boolean {
    return this._loading;
  }

  /** Why the last read failed, else ''. */
  get error(): string {
    return this._error;
  }

  /** For how many seconds the kernel has not answered; null while it answers. */
  get stalledSeconds(): number | null {
    return this._stalledSeconds;
  }

  /** Which threads the user chose to see; kept across samples and kernels. */
  get filter(): IThreadFilter {
    return this._filter;
  }

  /** The sample's threads that pass the filter, in the sample's order. */
  get shownThreads(): IThread[] {
    return (this._sample?.threads ?? []).filter(thread => matchesFilter(thread, this._filter));
  }

  /**
   * The module filter's choices: the sample's blocking modules, and the one
   * chosen even when no thread waits in it now, so the choice stays visible.
   */
  get blockingModules(): string[] {
    const found = blockingModules(this._sample?.threads ?? []);
    const chosen = this._filter.module;
    return chosen !== null && !found.includes(chosen) ? [...found, chosen].sort() : found;
  }

  /** Narrow (or widen) the threads shown; the parts not given stay as they are. */
  setFilter(change: Partial<IThreadFilter>): void {
    const next = { ...this._filter, ...change };
    if (next.state !== this._filter.state || next.module !== this._filter.module) {
      this._filter = next;
      this._changed.emit();
    }
  }

  /** Say where the kernel shown stands now. */
  setMode(mode: ThreadsModel.Mode): void {
    if (mode !== this._mode) {
      this._mode = mode;
      this._changed.emit();
    }
  }

  /** A read started; the last sample stays on screen meanwhile. */
  setLoading(): void {
    this._loading = true;
    this._changed.emit();
  }

  /** A fresh sample: it replaces the last one and ends any waiting or error. */
  setSample(sample: IThreads, at: number): void {
    this._sample = sample;
    this._sampledAt = at;
    this._loading = false;
    this._error = '';
    this._stalledSeconds = null;
    this._changed.emit();
  }

  /** The kernel has not answered for `seconds`; the last sample stays. */
  setStalled(seconds: number): void {
    this._stalledSeconds = seconds;
    this._loading = false;
    this._error = '';
    this._changed.emit();
  }

  /** A read failed with `message`, a sentence for the user. */
  setError(message: string): void {
    this._error = message;
    this._loading = false;
    this._stalledSeconds = null;
    this._changed.emit();
  }

  /** Forget the sample: another kernel is shown now. */
  clear(): void {
    this._sample = null;
    this._sampledAt = null;
    this._loading = false;
    this._error = '';
    this._stalledSeconds = null;
    this._changed.emit();
  }

  private _changed = new Signal<this, void>(this);
  private _mode: ThreadsModel.Mode = 'none';
  private _sample: IThreads | null = null;
  private _sampledAt: number | null = null;
  private _loading = false;
  private _error = '';
  private _stalledSeconds: number | null = null;
  private _filter: IThreadFilter = NO_FILTER;
}

export namespace ThreadsModel {
  /** none: no kernel to ask; idle: nothing runs; live: a cell runs; stopped: at a breakpoint. */
  export type Mode = 'none' | 'idle' | 'live' | 'stopped';
}
