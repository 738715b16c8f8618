/**
 * One bridge per kernel connection, created on first use and disposed with it.
 */
import type { Kernel } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import { KernelBridge } from './bridge';

/**
 * Hands out the bridge of a kernel connection.
 */
export class BridgeRegistry implements IDisposable {
  constructor(options: BridgeRegistry.IOptions = {}) {
    this._timeoutMs = options.timeoutMs;
    this._stoppedFrame = options.stoppedFrame;
    this._setup = options.setup;
  }

  /** The bridge of a kernel connection, created on first use. */
  bridgeFor(kernel: Kernel.IKernelConnection): KernelBridge {
    let bridge = this._bridges.get(kernel);
    if (!bridge || bridge.isDisposed) {
      bridge = new KernelBridge({
        kernel,
        timeoutMs: this._timeoutMs,
        stoppedFrame: this._stoppedFrame,
        setup: this._setup
      });
      this._bridges.set(kernel, bridge);
      kernel.disposed.connect(() => this._bridges.delete(kernel));
    }
    return bridge;
  }

  /** The bridges handed out and not disposed. */
  get bridges(): KernelBridge[] {
    return [...this._bridges.values()].filter(bridge => !bridge.isDisposed);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    for (const bridge of this._bridges.values()) {
      bridge.dispose();
    }
    this._bridges.clear();
  }

  private _bridges = new Map<Kernel.IKernelConnection, KernelBridge>();
  private _timeoutMs: number | undefined;
  private _stoppedFrame: KernelBridge.IOptions['stoppedFrame'];
  private _setup: KernelBridge.IOptions['setup'];
  private _isDisposed = false;
}

export namespace BridgeRegistry {
  export interface IOptions {
    /** Per-request timeout handed to each bridge, in ms. */
    timeoutMs?: number;
    /** Handed to each bridge: the debugger's selected frame in a stopped kernel. */
    stoppedFrame?: KernelBridge.IOptions['stoppedFrame'];
    /** Handed to each bridge: the requests each new connection sends first. */
    setup?: KernelBridge.IOptions['setup'];
  }
}
