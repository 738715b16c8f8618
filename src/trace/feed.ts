/**
 * Keeps one kernel's trace model filled by fetching: a `trace` request with
 * `since` set to the model's `next`, repeated while batches come back full,
 * whenever the trace service asks (the debugger stopped, a cell finished or
 * is running, the bridge connected, the notebook came back into focus). The
 * probe keeps the rows in a bounded ring until they are fetched; it never
 * sends any unasked. Never loads the probe itself: rows only exist once
 * breakpoint actions were sent, which connects the bridge.
 */
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { KernelBridge } from '../kernel/bridge';
import type { IProbeRequester } from '../kernel/requester';
import type { TraceModel } from './model';

/**
 * The catch-up fetches of one kernel, into one model.
 */
export class TraceFeed implements IDisposable {
  constructor(options: TraceFeed.IOptions) {
    this._bridge = options.bridge;
    this._model = options.model;
    this._describe = options.describe;
    this._bridge.stateChanged.connect(this._onState, this);
  }

  get model(): TraceModel {
    return this._model;
  }

  get bridge(): TraceFeed.IBridge {
    return this._bridge;
  }

  /**
   * Fetch every row from the model's `next` on. One fetch at a time: asked
   * again while one is in flight, it fetches once more after it, so rows
   * recorded meanwhile are not left for the next occasion. Does nothing
   * unless the bridge is connected.
   */
  async catchUp(): Promise<void> {
    if (this._isDisposed || this._bridge.state !== 'ready') {
      return;
    }
    if (this._fetching) {
      this._again = true;
      return this._fetching;
    }
    this._fetching = this._run();
    try {
      await this._fetching;
    } finally {
      this._fetching = null;
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
    Signal.disconnectReceiver(this);
    Signal.clearData(this);
  }

  private async _run(): Promise<void> {
    do {
      this._again = false;
      if (!(await this._fetchAll())) {
        return;
      }
    } while (this._again && !this._isDisposed && this._bridge.state === 'ready');
  }

  /** Fetch until a batch comes back short; false when a request failed. */
  private async _fetchAll(): Promise<boolean> {
    try {
      for (;;) {
        const batch = await this._bridge.request('trace', {
          since: this._model.next,
          limit: TraceFeed.FETCH_LIMIT
        });
        if (this._isDisposed) {
          return false;
        }
        this._model.append(batch);
        if (batch.rows.length < TraceFeed.FETCH_LIMIT) {
          break;
        }
      }
      this._fetched = true;
      this._model.message = '';
      return true;
    } catch (reason) {
      if (!this._isDisposed) {
        this._model.message = this._describe(reason);
      }
      return false;
    }
  }

  private _onState(_: unknown, state: KernelBridge.State): void {
    if (state === 'idle' && this._fetched) {
      // A restart: the new probe numbers its rows from 1 again.
      this._fetched = false;
      this._model.restarted();
    }
  }

  private _bridge: TraceFeed.IBridge;
  private _model: TraceModel;
  private _describe: (reason: unknown) => string;
  private _fetching: Promise<void> | null = null;
  private _again = false;
  private _fetched = false;
  private _isDisposed = false;
}

export namespace TraceFeed {
  export interface IOptions {
    bridge: IBridge;
    model: TraceModel;
    /** A sentence for the user when a fetch failed. */
    describe: (reason: unknown) => string;
  }

  /** The part of the kernel bridge the trace uses. */
  export interface IBridge extends IProbeRequester {
    readonly state: KernelBridge.State;
    readonly stateChanged: ISignal<unknown, KernelBridge.State>;
  }

  /** Rows per `trace` request; the probe caps it at 5,000. */
  export const FETCH_LIMIT = 1000;
}
