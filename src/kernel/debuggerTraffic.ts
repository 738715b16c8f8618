/**
 * JupyterLab's own debugger requests go first. While the debugger starts
 * (initialize, attach, exception filters, the globals, the modules) or reads
 * a stop (stack, scopes, variables), the probe's requests wait until the
 * control channel has been quiet for a moment: run beside them, the probe's
 * boot and summaries took the kernel's time from JupyterLab's, whose gutter
 * then came late enough for a click to miss it.
 */
import type { Kernel } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';

export class DebuggerTraffic implements IDisposable {
  constructor(kernel: Kernel.IKernelConnection, options: DebuggerTraffic.IOptions = {}) {
    this._kernel = kernel;
    this._quietMs = options.quietMs ?? DebuggerTraffic.QUIET_MS;
    this._maxWaitMs = options.maxWaitMs ?? DebuggerTraffic.MAX_WAIT_MS;
    kernel.anyMessage.connect(this._onMessage, this);
  }

  /** Debugger requests sent on the notebook's connection and not answered yet. */
  get inFlight(): number {
    return this._inFlight.size;
  }

  /**
   * Resolves once no debugger request has been in flight for `quietMs`, or
   * after `maxWaitMs` at the latest, so a chatty debugger never starves the
   * probe.
   */
  async quiet(): Promise<void> {
    const deadline = Date.now() + this._maxWaitMs;
    for (;;) {
      const wait = this._inFlight.size
        ? this._quietMs
        : this._quietMs - (Date.now() - this._lastActivity);
      if (wait <= 0 || Date.now() >= deadline || this._isDisposed) {
        return;
      }
      await new Promise(resolve => setTimeout(resolve, Math.min(wait, deadline - Date.now())));
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
    this._kernel.anyMessage.disconnect(this._onMessage, this);
  }

  private _onMessage(_: Kernel.IKernelConnection, args: Kernel.IAnyMessageArgs): void {
    const { msg, direction } = args;
    if (direction === 'send' && msg.header.msg_type === 'debug_request') {
      this._inFlight.add(msg.header.msg_id);
      this._lastActivity = Date.now();
    } else if (direction === 'recv' && msg.header.msg_type === 'debug_reply') {
      this._inFlight.delete((msg.parent_header as { msg_id?: string }).msg_id ?? '');
      this._lastActivity = Date.now();
    }
  }

  private _kernel: Kernel.IKernelConnection;
  private _quietMs: number;
  private _maxWaitMs: number;
  private _inFlight = new Set<string>();
  private _lastActivity = 0;
  private _isDisposed = false;
}

export namespace DebuggerTraffic {
  export interface IOptions {
    quietMs?: number;
    maxWaitMs?: number;
  }

  /** Longer than the gaps between the requests of JupyterLab's start sequence. */
  export const QUIET_MS = 250;
  /** A probe request waits no longer than this for the debugger. */
  export const MAX_WAIT_MS = 3000;
}
