/**
 * The timer of the live view. The rule it keeps: poll only while a cell runs,
 * at the refresh interval, one poll at a time; never per output message, so a
 * chatty cell costs no extra round trips. Its owner (a section's reader in
 * reader.ts, or the trace service) arms it when a cell starts, re-arms it
 * after each reply, and stops it whenever the target changes, so a poll that
 * comes due always belongs to the target shown.
 */
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';

/**
 * One pending live poll at most, at the interval the user set.
 */
export class LivePoller implements IDisposable {
  constructor(options: LivePoller.IOptions) {
    this._interval = options.interval;
  }

  /** Emitted when a scheduled poll comes due: time to send one live request. */
  get due(): ISignal<this, void> {
    return this._due;
  }

  /** The refresh interval asked for in the settings, in ms. */
  get interval(): number {
    return this._interval;
  }
  set interval(value: number) {
    this._interval = value;
  }

  /** The time between polls: the interval, but never below the floor. */
  get delay(): number {
    return Math.max(LivePoller.MIN_INTERVAL_MS, this._interval);
  }

  /** Whether a poll is waiting to come due. */
  get isScheduled(): boolean {
    return this._timer !== null;
  }

  /**
   * The time to the next tick of a clock shared by every poller with this
   * delay: multiples of it since the epoch, at least half of it from now.
   * Sections polling at the same interval then ask at the same moment, and
   * the bridge sends what they ask as one message.
   */
  get alignedDelay(): number {
    const delay = this.delay;
    const wait = delay - (Date.now() % delay);
    return wait < delay / 2 ? wait + delay : wait;
  }

  /**
   * Poll once after `delay` (by default at the shared clock's next tick),
   * replacing a poll already waiting. Armed again after each reply rather
   * than on a repeating timer, so a slow kernel never has polls piling up.
   */
  schedule(delay: number = this.alignedDelay): void {
    this.stop();
    if (this._isDisposed) {
      return;
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      this._due.emit();
    }, delay);
  }

  /**
   * The first poll of a cell that just started: sooner than the interval,
   * yet late enough that a cell that ends within a moment costs no live
   * request at all.
   */
  scheduleFirst(): void {
    this.schedule(Math.min(LivePoller.FIRST_POLL_MS, this.delay));
  }

  /** Drop the waiting poll, if any. */
  stop(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.stop();
    Signal.clearData(this);
  }

  private _due = new Signal<this, void>(this);
  private _interval: number;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _isDisposed = false;
}

export namespace LivePoller {
  export interface IOptions {
    /** The refresh interval from the settings, in ms. */
    interval: number;
  }

  /** Below this the polls would crowd the kernel whatever the setting says. */
  export const MIN_INTERVAL_MS = 250;

  /** Delay before the first live read of a cell that just started. */
  export const FIRST_POLL_MS = 300;

  /**
   * The floor of the sections whose readings move over seconds (Threads'
   * CPU shares, Counters' memory and handles, the hang flag): a faster read
   * would cost the running cell and show nothing new. On the shared clock a
   * 1 s tick is also a tick of the shorter intervals, so their reads still
   * share the other sections' message.
   */
  export const SLOW_INTERVAL_MS = 1000;

  /** The interval such a section polls at, for the refresh interval set. */
  export function slowInterval(refreshInterval: number): number {
    return Math.max(SLOW_INTERVAL_MS, refreshInterval);
  }
}
