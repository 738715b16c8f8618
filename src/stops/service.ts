/**
 * What makes the debugger stop, beyond line breakpoints: exceptions of the
 * types the user names, unhandled exceptions when the user asks for them by
 * default, and `breakpoint()`.
 *
 * JupyterLab sends `setExceptionBreakpoints` itself (on start, on restore and
 * from its pause-on-exceptions menu) with filters only, which would wipe any
 * exception types. It emits `pauseOnExceptionChanged` after each send, so this
 * service re-sends the same filters with the types right after it.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { Kernel } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type { IOperations } from '../kernel/protocol';
import {
  DEFAULT_EXCEPTION_FILTERS,
  exceptionBreakpointArgs
} from './exceptions';

/**
 * Applies the stop settings to every debugger session as it starts.
 */
export class StopsService implements IDisposable {
  constructor(options: StopsService.IOptions) {
    this._debug = options.debugger;
    this._bridges = options.bridges;
    this._settings = { ...StopsService.DEFAULT_SETTINGS, ...options.settings };
    this._onError = options.onError;
    this._debug.pauseOnExceptionChanged.connect(this._onFiltersSent, this);
  }

  /** The stop settings; changing them re-applies them to the running session. */
  get settings(): StopsService.ISettings {
    return this._settings;
  }
  set settings(value: StopsService.ISettings) {
    this._settings = { ...value };
    void this._apply();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    Signal.clearData(this);
    this._debug.pauseOnExceptionChanged.disconnect(this._onFiltersSent, this);
  }

  private _onFiltersSent(): void {
    void this._apply();
  }

  /** Bring the running session in line with the settings. */
  private async _apply(): Promise<void> {
    const session = this._debug.session;
    const kernel = session?.connection?.kernel ?? null;
    if (!session?.isStarted || !kernel || this._isDisposed) {
      return;
    }
    try {
      if (await this._applyDefaultFilters(session, kernel)) {
        // JupyterLab sent the new filters and signalled again: that call applies the rest.
        return;
      }
      if (this._settings.exceptionTypes.length > 0) {
        await session.sendRequest(
          'setExceptionBreakpoints',
          exceptionBreakpointArgs(
            session.currentExceptionFilters,
            this._settings.exceptionTypes
          )
        );
      }
      if (this._settings.breakpointCallsStop && !this._hooked.has(kernel)) {
        this._hooked.add(kernel);
        await this._bridges
          .bridgeFor(kernel)
          .request('breakpoint_hook', { on: true });
      }
    } catch (reason) {
      if (!this._isDisposed) {
        this._onError(reason);
      }
    }
  }

  /**
   * With the setting on, a notebook's first session stops where a cell does
   * not handle an exception, unless the user chose filters; true when
   * filters were sent.
   */
  private async _applyDefaultFilters(
    session: IDebugger.ISession,
    kernel: Kernel.IKernelConnection
  ): Promise<boolean> {
    if (
      !this._settings.stopOnUnhandledExceptions ||
      this._defaulted.has(kernel) ||
      session.currentExceptionFilters.length > 0 ||
      !this._debug.pauseOnExceptionsIsValid()
    ) {
      return false;
    }
    this._defaulted.add(kernel);
    const offered = (session.exceptionBreakpointFilters ?? []).map(f => f.filter);
    const filters = DEFAULT_EXCEPTION_FILTERS.filter(f => offered.includes(f));
    if (filters.length === 0) {
      return false;
    }
    await this._debug.pauseOnExceptions(filters);
    return true;
  }

  private _debug: IDebugger;
  private _bridges: StopsService.IBridges;
  private _settings: StopsService.ISettings;
  private _onError: (reason: unknown) => void;
  private _defaulted = new WeakSet<Kernel.IKernelConnection>();
  private _hooked = new WeakSet<Kernel.IKernelConnection>();
  private _isDisposed = false;
}

export namespace StopsService {
  export interface IOptions {
    debugger: IDebugger;
    bridges: IBridges;
    settings?: Partial<ISettings>;
    /** Tells the user that a setting could not be applied. */
    onError: (reason: unknown) => void;
  }

  /** The part of the bridge registry this service uses. */
  export interface IBridges {
    bridgeFor(kernel: Kernel.IKernelConnection): {
      request<K extends keyof IOperations>(
        op: K,
        args: IOperations[K]['args']
      ): Promise<IOperations[K]['result']>;
    };
  }

  export interface ISettings {
    /** Exception types that stop the debugger wherever they are raised. */
    exceptionTypes: string[];
    /** Start a notebook's debugging session stopping on unhandled exceptions. */
    stopOnUnhandledExceptions: boolean;
    /** Make `breakpoint()` in a cell stop in the visual debugger. */
    breakpointCallsStop: boolean;
  }

  export const DEFAULT_SETTINGS: ISettings = {
    exceptionTypes: [],
    // JupyterLab's own default: no exception filter until the user picks one.
    stopOnUnhandledExceptions: false,
    breakpointCallsStop: true
  };
}
