/**
 * Requests waiting for their reply on the comm: ids, timeouts, and settling
 * each one with its decoded result or its error.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import type { IOperations, Operation, RawReply } from './protocol';
import { ProbeError } from './protocol';
import { decodeResult } from './decoders';

/**
 * The requests of one comm that have not been answered yet.
 */
export class PendingRequests {
  /** A fresh request id (also used by the evaluate fallback). */
  nextId(): number {
    return ++this._nextId;
  }

  /** Wait for the reply to request `id`, failing after `timeoutMs`. */
  wait<K extends Operation>(
    id: number,
    op: K,
    timeoutMs: number
  ): Promise<IOperations[K]['result']> {
    const delegate = new PromiseDelegate<unknown>();
    const timer = setTimeout(() => {
      this._pending.delete(id);
      delegate.reject(
        new ProbeError(
          'timeout',
          `The kernel did not answer within ${Math.round(timeoutMs / 1000)} s. It may be running C code that holds the GIL; try again in a moment.`
        )
      );
    }, timeoutMs);
    this._pending.set(id, { delegate, timer, op });
    return delegate.promise as Promise<IOperations[K]['result']>;
  }

  /** Settle the request a reply answers; replies nobody waits for are dropped. */
  settle(reply: RawReply): void {
    const entry = this._pending.get(reply.id);
    if (!entry) {
      return;
    }
    this._pending.delete(reply.id);
    clearTimeout(entry.timer);
    if (!reply.ok) {
      entry.delegate.reject(reply.error);
      return;
    }
    try {
      entry.delegate.resolve(decodeResult(entry.op, reply.result));
    } catch (error) {
      entry.delegate.reject(error);
    }
  }

  /** Fail every waiting request, e.g. when the kernel restarted. */
  rejectAll(error: ProbeError): void {
    for (const entry of this._pending.values()) {
      clearTimeout(entry.timer);
      entry.delegate.reject(error);
    }
    this._pending.clear();
  }

  private _nextId = 0;
  private _pending = new Map<
    number,
    {
      delegate: PromiseDelegate<unknown>;
      timer: ReturnType<typeof setTimeout>;
      op: Operation;
    }
  >();
}
