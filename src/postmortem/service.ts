/**
 * Orchestration of the Exceptions section: reads the kernel's last exception
 * when the section is shown, after every cell, at every stop and on demand,
 * and says whether a later cell already ran past it. Nothing is re-run. No DOM.
 */
import type { Notebook, INotebookTracker } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type { IPostmortem } from '../kernel/liveProtocol';
import type { IOperations } from '../kernel/protocol';
import { cellNumber } from '../notebook/cells';
import { describeError } from '../errors';
import { StopFollower } from '../live/stopFollower';
import type { LastError, PostmortemModel } from './model';
import type { IBridgeFinder, IProbeRequester } from '../kernel/requester';

/** Whether a cell started since the last failure, and which exception that made old. */
interface IHistory {
  ranSince: boolean;
  staleId: string | null;
}

/**
 * Keeps the Exceptions model in step with the kernel's last exception.
 */
export class PostmortemService implements IDisposable {
  constructor(options: PostmortemService.IOptions) {
    this.model = options.model;
    this._options = options;
    this._timeoutMs = options.timeoutMs ?? 30000;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    // Before the follower: a finished cell's history is written before its read starts.
    options.executions.scheduled.connect(this._onScheduled, this);
    options.executions.executed.connect(this._onExecuted, this);
    this._follower = new StopFollower(options, this._trans, () => void this.refresh());
    this.model.shownChanged.connect((_, shown) => {
      if (shown) {
        void this.refresh();
      }
    }, this);
  }

  readonly model: PostmortemModel;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Read the last exception of the kernel the debugger or the notebook is on. */
  async refresh(): Promise<void> {
    if (!this.model.isShown) {
      return;
    }
    const target = this._follower.current();
    const generation = ++this._generation;
    if (!target) {
      this.model.setNone(
        this._trans.__('Open a notebook with a running kernel: the last exception of its kernel shows here.')
      );
      return;
    }
    this.model.setLoading();
    let result: IPostmortem;
    try {
      result = await this._request(target.kernel, {});
    } catch (reason) {
      if (!this._isDisposed && generation === this._generation) {
        this.model.setError(describeError(reason, this._trans));
      }
      return;
    }
    if (this._isDisposed || generation !== this._generation) {
      return;
    }
    const notebook = this._options.notebookTracker.currentWidget;
    const stale = notebook ? this._isStale(notebook.content, result.error) : false;
    this.model.setResult(result.error, stale, this._cells(result.error));
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._options.executions.scheduled.disconnect(this._onScheduled, this);
    this._options.executions.executed.disconnect(this._onExecuted, this);
    this._follower.dispose();
    Signal.clearData(this);
  }

  /**
   * An exception read after a cell started is older than that cell, until a
   * cell fails again: its id is remembered as the one a later cell ran past.
   */
  private _isStale(notebook: Notebook, error: LastError | null): boolean {
    const history = this._history.get(notebook);
    if (!error || !history) {
      return false;
    }
    if (history.ranSince) {
      history.staleId = error.id;
    }
    return error.id === history.staleId;
  }

  private _onScheduled(_: unknown, args: { notebook: Notebook }): void {
    this._historyOf(args.notebook).ranSince = true;
  }

  private _onExecuted(_: unknown, args: { notebook: Notebook; success?: boolean }): void {
    if (args.success === false) {
      this._historyOf(args.notebook).ranSince = false;
    }
  }

  private _historyOf(notebook: Notebook): IHistory {
    let history = this._history.get(notebook);
    if (!history) {
      history = { ranSince: false, staleId: null };
      this._history.set(notebook, history);
    }
    return history;
  }

  /** The cell each cell-file frame ran from, in the current notebook. */
  private _cells(error: LastError | null): Map<string, number> {
    const cells = new Map<string, number>();
    const notebook = this._options.notebookTracker.currentWidget;
    for (const link of error?.chain ?? []) {
      for (const frame of link.frames) {
        const cell = cellNumber(this._options.debugger, notebook, frame.path);
        if (cell !== null) {
          cells.set(frame.path, cell);
        }
      }
    }
    return cells;
  }

  private _request(
    kernel: Kernel.IKernelConnection,
    args: IOperations['postmortem']['args']
  ): Promise<IPostmortem> {
    return this._options.bridges.bridgeFor(kernel).request('postmortem', args, this._timeoutMs);
  }

  private _options: PostmortemService.IOptions;
  private _timeoutMs: number;
  private _trans: TranslationBundle;
  private _follower: StopFollower;
  private _generation = 0;
  private _history = new WeakMap<Notebook, IHistory>();
  private _isDisposed = false;
}

export namespace PostmortemService {
  export type IBridge = IProbeRequester<'postmortem'>;

  export type IBridges = IBridgeFinder<IBridge>;

  export interface IOptions extends StopFollower.IOptions {
    notebookTracker: INotebookTracker;
    bridges: IBridges;
    model: PostmortemModel;
    translator?: ITranslator;
    timeoutMs?: number;
  }
}
