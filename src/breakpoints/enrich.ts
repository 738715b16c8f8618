/**
 * Our breakpoint actions ride every `setBreakpoints` as it leaves.
 *
 * JupyterLab sends plain `{line}` breakpoints on every gutter change, restore
 * and restart. Rather than racing those sends with our own, the debugger
 * session's `sendRequest` is wrapped: each `setBreakpoints` for a cell's
 * source path gets the probe's condition on the lines that have actions, and
 * the probe gets the current specs before the request goes. A plain re-send
 * therefore never lets a loop stop unconditionally.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { Kernel } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { actionCondition } from '../kernel/protocol';

/**
 * The request with the probe's condition on every line that has actions
 * (and no `hitCondition` or `logMessage`: the probe counts hits and logs).
 * Lines without actions, and paths that are no cell's (null), are untouched.
 */
export function enrichSetBreakpoints(
  args: DebugProtocol.SetBreakpointsArguments,
  actionsByLine: ReadonlyMap<number, string> | null
): DebugProtocol.SetBreakpointsArguments {
  if (!actionsByLine || !args.breakpoints) {
    return args;
  }
  return {
    ...args,
    breakpoints: args.breakpoints.map(bp => {
      const id = actionsByLine.get(bp.line);
      if (id === undefined) {
        return bp;
      }
      const { hitCondition: _hit, logMessage: _log, ...rest } = bp;
      return { ...rest, condition: actionCondition(id) };
    })
  };
}

/**
 * Wraps the debugger session's `sendRequest`, re-wrapping when the session
 * changes, and unwraps on dispose.
 */
export class SetBreakpointsEnricher implements IDisposable {
  constructor(options: SetBreakpointsEnricher.IOptions) {
    this._debugger = options.debugger;
    this._source = options.source;
    this._debugger.sessionChanged.connect(this._onSessionChanged, this);
    this._wrap(this._debugger.session);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._debugger.sessionChanged.disconnect(this._onSessionChanged, this);
    this._unwrap();
  }

  private _onSessionChanged(
    _: IDebugger,
    session: IDebugger.ISession | null
  ): void {
    this._unwrap();
    this._wrap(session);
  }

  private _wrap(session: IDebugger.ISession | null): void {
    if (!session) {
      return;
    }
    const original = session.sendRequest;
    const wrapped = async <K extends keyof IDebugger.ISession.Request>(
      command: K,
      args: IDebugger.ISession.Request[K]
    ): Promise<IDebugger.ISession.Response[K]> => {
      if (command === 'setBreakpoints') {
        const kernel = session.connection?.kernel ?? null;
        const prepared = kernel
          ? await this._source.prepare(
              kernel,
              args as DebugProtocol.SetBreakpointsArguments
            )
          : null;
        if (prepared) {
          args = enrichSetBreakpoints(
            args as DebugProtocol.SetBreakpointsArguments,
            prepared
          ) as typeof args;
        }
      }
      return original.call(session, command, args) as Promise<
        IDebugger.ISession.Response[K]
      >;
    };
    session.sendRequest = wrapped;
    this._wrapped = { session, original, wrapped };
  }

  private _unwrap(): void {
    const wrapped = this._wrapped;
    this._wrapped = null;
    if (wrapped && wrapped.session.sendRequest === wrapped.wrapped) {
      wrapped.session.sendRequest = wrapped.original;
    }
  }

  private _debugger: IDebugger;
  private _source: SetBreakpointsEnricher.ISource;
  private _wrapped: {
    session: IDebugger.ISession;
    original: IDebugger.ISession['sendRequest'];
    wrapped: IDebugger.ISession['sendRequest'];
  } | null = null;
  private _isDisposed = false;
}

export namespace SetBreakpointsEnricher {
  export interface IOptions {
    /** The debugger whose session requests are enriched. */
    debugger: IDebugger;
    /** Where the actions come from. */
    source: ISource;
  }

  /** What the enricher asks of the breakpoint service. */
  export interface ISource {
    /**
     * Called before a `setBreakpoints` leaves for `kernel`: note the lines
     * JupyterLab now has on the path, bring the probe's specs up to date,
     * and resolve to the spec id of each line with actions; null when the
     * path is no cell of a notebook on that kernel.
     */
    prepare(
      kernel: Kernel.IKernelConnection,
      args: DebugProtocol.SetBreakpointsArguments
    ): Promise<ReadonlyMap<number, string> | null>;
  }
}
