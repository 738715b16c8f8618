/**
 * The requests on their way to the probe: those made within a few
 * milliseconds of each other leave as one comm message, `{batch: [...]}`.
 *
 * Every message through ipykernel costs a running cell a few GIL hand-overs
 * on its shell, subshell and IOPub threads. The live sections poll on one
 * clock (see LivePoller), so one poll of all of them is one message.
 */
import type { IRequest } from './protocol';

export class Outbox {
  /**
   * @param send - puts requests on the wire: one alone, or several as a batch.
   */
  constructor(send: (requests: IRequest[]) => void, windowMs: number = Outbox.WINDOW_MS) {
    this._send = send;
    this._windowMs = windowMs;
  }

  /** Queue a request to leave with the others of this moment. */
  post(request: IRequest): void {
    this._queue.push(request);
    if (this._timer === null) {
      this._timer = setTimeout(() => this.flush(), this._windowMs);
    }
  }

  /** Send what is queued now, in messages of at most BATCH_MAX requests. */
  flush(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    const queued = this._queue;
    this._queue = [];
    for (let start = 0; start < queued.length; start += Outbox.BATCH_MAX) {
      this._send(queued.slice(start, start + Outbox.BATCH_MAX));
    }
  }

  /** Drop what is queued (the kernel restarted: its requests are failed elsewhere). */
  clear(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    this._queue = [];
  }

  private _send: (requests: IRequest[]) => void;
  private _windowMs: number;
  private _queue: IRequest[] = [];
  private _timer: ReturnType<typeof setTimeout> | null = null;
}

export namespace Outbox {
  /** How long a request waits for others to share its message. */
  export const WINDOW_MS = 5;
  /** The most requests one message carries (the probe's protocol.BATCH_MAX). */
  export const BATCH_MAX = 32;
}
