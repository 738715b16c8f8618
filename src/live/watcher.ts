/**
 * Everything that decides what a section shows, watched in one place: the
 * debugger's session and selected frame, the current notebook, its kernel
 * (switched, restarted, dead) and its running cells.
 * Says when the target may have changed and what it is now; sends nothing.
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { RunningCells } from './running';
import type { ITarget } from './target';
import { computeTarget } from './target';

/**
 * Follows the debugger, the notebook tracker and the current kernel.
 */
export class TargetWatcher implements IDisposable {
  constructor(options: TargetWatcher.IOptions) {
    this._debugger = options.debugger;
    this._tracker = options.notebookTracker;
    this._trans = options.trans;
    this._running = new RunningCells(options.executions);
    this._running.changed.connect(this._onRunningChanged, this);

    this._debugger.sessionChanged.connect(this._onDebuggerChanged, this);
    this._debugger.model.callstack.currentFrameChanged.connect(
      this._onDebuggerChanged,
      this
    );
    this._tracker.currentChanged.connect(this._onNotebookChanged, this);
    this._watch(this._tracker.currentWidget?.sessionContext ?? null);
  }

  /** Emitted whenever the target may have changed. */
  get changed(): ISignal<this, TargetWatcher.IChange> {
    return this._changed;
  }

  /**
   * The target now: the selected frame, the current notebook's running cell,
   * or its globals. Null when there is no kernel to ask.
   */
  current(): ITarget | null {
    return computeTarget(this._debugger, this._tracker.currentWidget, this.isRunning(), this._trans);
  }

  /**
   * Whether the current notebook has a cell running, stopped in the debugger
   * or not: a section about the process rather than a frame asks this.
   */
  isRunning(): boolean {
    const notebook = this._tracker.currentWidget;
    return notebook !== null && this._running.isRunning(notebook.content);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._running.dispose();
    this._debugger.sessionChanged.disconnect(this._onDebuggerChanged, this);
    this._debugger.model.callstack.currentFrameChanged.disconnect(
      this._onDebuggerChanged,
      this
    );
    this._tracker.currentChanged.disconnect(this._onNotebookChanged, this);
    this._watch(null);
    Signal.clearData(this);
  }

  private _onRunningChanged(_: RunningCells, change: RunningCells.IChange): void {
    if (change.notebook !== this._tracker.currentWidget?.content) {
      return;
    }
    // Forced when a cell finished: its last assignments are only in the
    // globals now, even if the target did not change.
    this._changed.emit({ force: !change.running });
  }

  private _onDebuggerChanged(): void {
    this._changed.emit({ force: false });
  }

  private _onNotebookChanged(): void {
    this._watch(this._tracker.currentWidget?.sessionContext ?? null);
    this._changed.emit({ force: false });
  }

  private _watch(context: ISessionContext | null): void {
    if (this._context === context) {
      return;
    }
    if (this._context) {
      this._context.kernelChanged.disconnect(this._onKernelChanged, this);
      this._context.statusChanged.disconnect(this._onKernelStatus, this);
    }
    this._context = context;
    this._awaitingRestart = false;
    if (context) {
      context.kernelChanged.connect(this._onKernelChanged, this);
      context.statusChanged.connect(this._onKernelStatus, this);
    }
  }

  private _onKernelChanged(): void {
    this._forgetRunning();
    this._changed.emit({ force: false });
  }

  private _onKernelStatus(_: ISessionContext, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting' || status === 'dead') {
      // The running cells died with the kernel; they send no "executed".
      this._forgetRunning();
      this._awaitingRestart = true;
      this._changed.emit({ force: false, restarted: true });
    } else if (status === 'idle' && this._awaitingRestart) {
      // Only after a restart: our own requests also toggle busy/idle, so a
      // refresh on every idle would feed itself.
      this._awaitingRestart = false;
      this._changed.emit({ force: true, revived: true });
    }
  }

  private _forgetRunning(): void {
    const notebook = this._tracker.currentWidget?.content;
    if (notebook) {
      this._running.forget(notebook);
    }
  }

  private _debugger: IDebugger;
  private _tracker: INotebookTracker;
  private _trans: TranslationBundle;
  private _running: RunningCells;
  private _context: ISessionContext | null = null;
  private _awaitingRestart = false;
  private _changed = new Signal<this, TargetWatcher.IChange>(this);
  private _isDisposed = false;
}

export namespace TargetWatcher {
  export interface IOptions {
    debugger: IDebugger;
    notebookTracker: INotebookTracker;
    /**
     * When a notebook's cells start and finish: `NotebookActions`'
     * `executionScheduled` and `executed` in the application.
     */
    executions: RunningCells.IExecutions;
    /** For the labels of the targets. */
    trans: TranslationBundle;
  }

  export interface IChange {
    /**
     * Read the values again even if the target is the same: a cell finished
     * or the kernel came back from a restart.
     */
    force: boolean;
    /** The kernel is restarting or died: what was read from it is gone with it. */
    restarted?: boolean;
    /**
     * The kernel is idle for the first time after a restart or death: a new
     * process, with nothing of the old one's state.
     */
    revived?: boolean;
  }
}
