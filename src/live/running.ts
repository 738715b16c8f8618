/**
 * Which notebooks have cells running, from the notebook's own execution
 * signals: the kernel's busy/idle status cannot tell, because the probe's
 * requests on the subshell toggle it too.
 */
import type { Notebook } from '@jupyterlab/notebook';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';

/**
 * Counts the scheduled-but-unfinished cells of each notebook.
 */
export class RunningCells implements IDisposable {
  constructor(executions: RunningCells.IExecutions) {
    this._executions = executions;
    executions.scheduled.connect(this._onScheduled, this);
    executions.executed.connect(this._onExecuted, this);
  }

  /** Emitted with a notebook whose first cell started or whose last finished. */
  get changed(): ISignal<this, RunningCells.IChange> {
    return this._changed;
  }

  isRunning(notebook: Notebook): boolean {
    return (this._counts.get(notebook) ?? 0) > 0;
  }

  /**
   * Forget a notebook's running cells: when its kernel restarts or dies they
   * are gone, and no "executed" may ever arrive for them.
   */
  forget(notebook: Notebook): void {
    this._counts.delete(notebook);
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
    this._counts.clear();
    Signal.clearData(this);
  }

  private _onScheduled(_: unknown, args: { notebook: Notebook }): void {
    const count = (this._counts.get(args.notebook) ?? 0) + 1;
    this._counts.set(args.notebook, count);
    if (count === 1) {
      this._changed.emit({ notebook: args.notebook, running: true });
    }
  }

  private _onExecuted(_: unknown, args: { notebook: Notebook }): void {
    const count = (this._counts.get(args.notebook) ?? 0) - 1;
    if (count > 0) {
      this._counts.set(args.notebook, count);
      return;
    }
    this._counts.delete(args.notebook);
    this._changed.emit({ notebook: args.notebook, running: false });
  }

  private _executions: RunningCells.IExecutions;
  private _counts = new Map<Notebook, number>();
  private _changed = new Signal<this, RunningCells.IChange>(this);
  private _isDisposed = false;
}

export namespace RunningCells {
  /** `NotebookActions.executionScheduled` and `executed` in the application. */
  export interface IExecutions {
    readonly scheduled: ISignal<unknown, { notebook: Notebook }>;
    readonly executed: ISignal<unknown, { notebook: Notebook }>;
  }

  export interface IChange {
    notebook: Notebook;
    running: boolean;
  }
}
