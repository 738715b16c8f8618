/**
 * When a value read on demand should be read again: at every stop and frame
 * change, and after every cell; never at a live poll, where a walk of a model
 * or a tensor would cost the running cell for nothing. Shared by the sections
 * that show one chosen value (Type Structure, the tensor viewer).
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import type { RunningCells } from './running';
import type { ITarget } from './target';
import { TargetWatcher } from './watcher';

/**
 * Calls `refresh` when the value should be read again.
 */
export class StopFollower implements IDisposable {
  constructor(options: StopFollower.IOptions, trans: TranslationBundle, refresh: () => void) {
    this._refresh = refresh;
    this._watcher = new TargetWatcher({
      debugger: options.debugger,
      notebookTracker: options.notebookTracker,
      executions: options.executions,
      trans
    });
    this._watcher.changed.connect(this._onChanged, this);
  }

  get isDisposed(): boolean {
    return this._watcher.isDisposed;
  }

  /** Where values are read now, or null without a kernel. */
  current(): ITarget | null {
    return this._watcher.current();
  }

  dispose(): void {
    this._watcher.dispose();
  }

  private _onChanged(_: TargetWatcher, change: TargetWatcher.IChange): void {
    const target = this._watcher.current();
    if (target && (target.mode !== 'live' || change.force)) {
      this._refresh();
    }
  }

  private _refresh: () => void;
  private _watcher: TargetWatcher;
}

export namespace StopFollower {
  /** What a section that follows the debugger is built from. */
  export interface IOptions {
    debugger: IDebugger;
    notebookTracker: INotebookTracker;
    executions: RunningCells.IExecutions;
  }
}
