/**
 * How a live section reads its kernel, the same in every section: one read
 * in flight at a time, the replies to an older target dropped, polls only
 * while a cell runs and the section is shown, each armed after the previous
 * reply. A section says what to send and what to do with the reply or the
 * error; the reader says when, and whether the reply still counts.
 */
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type { ShownState } from '../dom/shownState';
import { LivePoller } from './poller';

/**
 * The reads of one section about one target at a time. Following a new
 * target starts a new generation: whatever the older ones still receive is
 * dropped unseen, and their polls stop.
 */
export class LiveReader<TTarget, TReply, TOutcome = void> implements IDisposable {
  constructor(options: LiveReader.IOptions<TTarget, TReply, TOutcome>) {
    this._shown = options.shown;
    this._request = options.request;
    this._show = options.show;
    this._fail = options.fail;
    this._poller = new LivePoller({ interval: options.interval });
    this._poller.due.connect(this._onDue, this);
    this._shown.shownChanged.connect(this._onShownChanged, this);
  }

  /** What is read now; null when nothing is. */
  get target(): TTarget | null {
    return this._target;
  }

  /**
   * The read last started for this target, settled once its reply or error
   * is shown (to what `show` or `fail` returned); settled to undefined when
   * nothing was read or the reply was dropped.
   */
  get loading(): Promise<TOutcome | undefined> {
    return this._loading;
  }

  /** The live refresh interval, in ms; a new one re-arms a waiting poll. */
  get interval(): number {
    return this._poller.interval;
  }
  set interval(value: number) {
    if (value === this._poller.interval) {
      return;
    }
    this._poller.interval = value;
    if (this._poller.isScheduled) {
      this._poller.schedule();
    }
  }

  /**
   * Read `target` from now on, or nothing: a new generation, even for the
   * same target. The read in flight no longer counts, and polls stop until
   * `poll` is called for the new one.
   */
  follow(target: TTarget | null): void {
    this._generation++;
    this._target = target;
    this._inFlight = null;
    this._again = false;
    this._polling = false;
    this._poller.stop();
    this._loading = Promise.resolve(undefined);
  }

  /**
   * Poll the target while a cell runs: the first poll soon (at once after
   * the read in flight, if any), then one after each reply.
   */
  poll(): void {
    this._polling = true;
    if (this._canRead() && !this._inFlight) {
      this._poller.scheduleFirst();
    }
  }

  /** No more polls for this target until `poll`. */
  pause(): void {
    this._polling = false;
    this._poller.stop();
  }

  /**
   * Read the target now. A read already in flight is not doubled: it is
   * awaited instead, and with `again` followed by one more read once it is
   * answered (what changed meanwhile is then read too). Nothing is sent
   * while the section is hidden.
   */
  read(options: { again?: boolean } = {}): Promise<TOutcome | undefined> {
    if (!this._canRead() || this._target === null) {
      return Promise.resolve(undefined);
    }
    if (this._inFlight) {
      this._again = this._again || options.again === true;
      return this._inFlight;
    }
    this._poller.stop();
    const read = this._run(this._target);
    this._inFlight = read;
    this._loading = read;
    return read;
  }

  /**
   * A test that stays true until a new generation begins: for the section's
   * other requests about the same target, so they are dropped alike.
   */
  currentGeneration(): () => boolean {
    const generation = this._generation;
    return () => !this._isDisposed && generation === this._generation;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poller.dispose();
    Signal.clearData(this);
  }

  private async _run(target: TTarget): Promise<TOutcome | undefined> {
    const isCurrent = this.currentGeneration();
    let outcome: TOutcome | undefined;
    try {
      do {
        this._again = false;
        outcome = await this._once(target, isCurrent);
      } while (this._again && isCurrent() && this._shown.isShown);
    } finally {
      if (isCurrent()) {
        this._inFlight = null;
      }
    }
    // Armed after the reply, so a slow kernel never has polls piling up.
    if (isCurrent() && this._polling && this._shown.isShown) {
      this._poller.schedule();
    }
    return outcome;
  }

  private async _once(
    target: TTarget,
    isCurrent: () => boolean
  ): Promise<TOutcome | undefined> {
    try {
      const reply = await this._request(target);
      return isCurrent() ? this._show(reply, target) : undefined;
    } catch (reason) {
      return isCurrent() ? this._fail(reason, target) : undefined;
    }
  }

  private _canRead(): boolean {
    return !this._isDisposed && this._shown.isShown;
  }

  private _onDue(): void {
    if (this._polling) {
      void this.read();
    }
  }

  private _onShownChanged(_: ShownState, shown: boolean): void {
    if (!shown) {
      this._poller.stop();
    }
  }

  private _shown: ShownState;
  private _request: (target: TTarget) => Promise<TReply>;
  private _show: (reply: TReply, target: TTarget) => TOutcome;
  private _fail: (reason: unknown, target: TTarget) => TOutcome;
  private _poller: LivePoller;
  private _target: TTarget | null = null;
  private _generation = 0;
  private _inFlight: Promise<TOutcome | undefined> | null = null;
  private _again = false;
  private _polling = false;
  private _loading: Promise<TOutcome | undefined> = Promise.resolve(undefined);
  private _isDisposed = false;
}

export namespace LiveReader {
  export interface IOptions<TTarget, TReply, TOutcome> {
    /** The refresh interval from the settings, in ms. */
    interval: number;
    /** The section's model: nothing is sent while it is hidden. */
    shown: ShownState;
    /** Send the request for `target`; what else the section does before sending too. */
    request(target: TTarget): Promise<TReply>;
    /**
     * Show a reply that still counts. What it returns settles the read;
     * what it throws is shown as a failure.
     */
    show(reply: TReply, target: TTarget): TOutcome;
    /** Show why a read that still counts failed; what it returns settles the read. */
    fail(reason: unknown, target: TTarget): TOutcome;
  }
}
