/**
 * Break-In: pause a running cell in the visual debugger where it is running.
 *
 * Only possible when the debugger was on before the cell started: switching
 * it on while a cell runs holds the kernel's control channel until the cell
 * ends. So each notebook's running cells remember whether the debugger was
 * on (for that notebook's kernel) when the first of them was scheduled.
 * The pause goes to the DAP id of the thread named MainThread, asked with
 * `threads`: `IDebugger.pause()` pauses its current thread, which defaults
 * to 1, and swallows its errors.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { Notebook } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { RunningCells } from '../live/running';

/**
 * Whether Break-In can pause a notebook's running cell, and the pause itself.
 */
export class BreakInState implements IDisposable {
  constructor(options: BreakInState.IOptions) {
    this._debugger = options.debugger;
    this._executions = options.executions;
    this._kernelOf = options.kernelOf;
    this._trans = options.trans;
    this._executions.scheduled.connect(this._onScheduled, this);
    this._executions.executed.connect(this._onExecuted, this);
    this._debugger.sessionChanged.connect(this._emit, this);
    this._debugger.eventMessage.connect(this._emit, this);
    this._debugger.stopped.connect(this._emit, this);
    this._debugger.model.callstack.currentFrameChanged.connect(this._emit, this);
  }

  /** Emitted when a verdict may have changed: time to redraw the command. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Where Break-In stands for `notebook`. */
  verdict(notebook: Notebook | null): BreakInState.Verdict {
    if (!notebook || !this._debuggerOn(notebook)) {
      return 'debugger-off';
    }
    const run = this._runs.get(notebook);
    if (!run) {
      return 'idle';
    }
    if (!run.debuggerOn) {
      return 'too-late';
    }
    return this._debugger.model.callstack.frame ? 'paused' : 'ready';
  }

  /** Enabled while a cell of `notebook` runs and is not paused already. */
  isEnabled(notebook: Notebook | null): boolean {
    return notebook !== null && this._runs.has(notebook) && this.verdict(notebook) !== 'paused';
  }

  /** What the command says: the action, or why it cannot pause. */
  label(notebook: Notebook | null): string {
    switch (this.verdict(notebook)) {
      case 'debugger-off':
        return this._trans.__('Switch the debugger on before running the cell to Break In');
      case 'too-late':
        return this._trans.__(
          'Break In needs the debugger on before the cell starts; switch it on and run the cell again'
        );
      default:
        return this._trans.__('Break In (pause the running cell)');
    }
  }

  /**
   * Pause `notebook`'s running cell on its main thread. Rejects with a
   * sentence for the user when it cannot, and then sends nothing.
   */
  async breakIn(notebook: Notebook | null): Promise<void> {
    const verdict = this.verdict(notebook);
    const session = this._debugger.session;
    if (verdict === 'idle') {
      throw new Error(this._trans.__('No cell is running in this notebook: Break In pauses a running cell.'));
    }
    if (verdict === 'paused') {
      throw new Error(this._trans.__('The cell is paused in the debugger already.'));
    }
    if (verdict !== 'ready' || !session) {
      throw new Error(this.label(notebook));
    }
    const threads = await session.sendRequest('threads', {});
    if (!threads.success) {
      throw new Error(this._trans.__('The debugger did not list the threads: %1', threads.message ?? ''));
    }
    const main = threads.body.threads.find(thread => thread.name === 'MainThread');
    if (!main) {
      throw new Error(
        this._trans.__('The debugger lists no MainThread to pause; switch the debugger off and on, then run the cell again.')
      );
    }
    const reply = await session.sendRequest('pause', { threadId: main.id });
    if (!reply.success) {
      throw new Error(this._trans.__('The debugger could not pause the cell: %1', reply.message ?? ''));
    }
  }

  /** Forget a notebook's running cells: its kernel restarted or died, and they with it. */
  forget(notebook: Notebook): void {
    if (this._runs.delete(notebook)) {
      this._emit();
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
    this._executions.scheduled.disconnect(this._onScheduled, this);
    this._executions.executed.disconnect(this._onExecuted, this);
    this._debugger.sessionChanged.disconnect(this._emit, this);
    this._debugger.eventMessage.disconnect(this._emit, this);
    this._debugger.stopped.disconnect(this._emit, this);
    this._debugger.model.callstack.currentFrameChanged.disconnect(this._emit, this);
    this._runs.clear();
    Signal.clearData(this);
  }

  /** Whether the debugger is on now, and for this notebook's kernel. */
  private _debuggerOn(notebook: Notebook): boolean {
    const kernel = this._kernelOf(notebook);
    const debugged = this._debugger.session?.connection?.kernel ?? null;
    return this._debugger.isStarted && kernel !== null && debugged !== null && kernel.id === debugged.id;
  }

  private _onScheduled(_: unknown, args: { notebook: Notebook }): void {
    const run = this._runs.get(args.notebook);
    if (run) {
      // Queued behind the cell that runs: that one decides.
      run.count++;
    } else {
      this._runs.set(args.notebook, { count: 1, debuggerOn: this._debuggerOn(args.notebook) });
    }
    this._emit();
  }

  private _onExecuted(_: unknown, args: { notebook: Notebook }): void {
    const run = this._runs.get(args.notebook);
    if (run && --run.count <= 0) {
      this._runs.delete(args.notebook);
    }
    this._emit();
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _debugger: BreakInState.IDebugService;
  private _executions: RunningCells.IExecutions;
  private _kernelOf: (notebook: Notebook) => Kernel.IKernelConnection | null;
  private _trans: TranslationBundle;
  private _runs = new Map<Notebook, { count: number; debuggerOn: boolean }>();
  private _changed = new Signal<this, void>(this);
  private _isDisposed = false;
}

export namespace BreakInState {
  /**
   * idle: nothing runs; ready: a cell runs with the debugger on since it
   * started; paused: the debugger holds it already; too-late: the debugger
   * came on after the cell started; debugger-off: it is off for this notebook.
   */
  export type Verdict = 'idle' | 'ready' | 'paused' | 'too-late' | 'debugger-off';

  /** The part of a debug session Break-In uses. */
  export interface ISession {
    readonly connection: { readonly kernel: Kernel.IKernelConnection | null } | null;
    sendRequest<K extends 'threads' | 'pause'>(
      command: K,
      args: IDebugger.ISession.Request[K]
    ): Promise<IDebugger.ISession.Response[K]>;
  }

  /** The part of `IDebugger` Break-In reads. */
  export interface IDebugService {
    readonly isStarted: boolean;
    readonly session: ISession | null;
    readonly model: {
      readonly callstack: {
        readonly frame: unknown;
        readonly currentFrameChanged: ISignal<unknown, unknown>;
      };
    };
    readonly sessionChanged: ISignal<unknown, unknown>;
    readonly eventMessage: ISignal<unknown, unknown>;
    readonly stopped: ISignal<unknown, unknown>;
  }

  export interface IOptions {
    debugger: IDebugService;
    /** `NotebookActions`' `executionScheduled` and `executed` in the application. */
    executions: RunningCells.IExecutions;
    /** The kernel a notebook runs on, or null. */
    kernelOf: (notebook: Notebook) => Kernel.IKernelConnection | null;
    trans: TranslationBundle;
  }
}
