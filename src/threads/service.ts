/**
 * Orchestration of the Threads section: reads every thread's stack with the
 * `threads` op at the refresh interval while a cell runs (one request at a
 * time, re-armed after each reply), once at every stop and after every cell,
 * and on demand. Nothing is asked while the section is folded. No DOM.
 *
 * What to read and when comes from the Variable Values' own pieces: the
 * target watcher (frame, running cell or idle kernel) and the live poller.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import { describeError } from '../errors';
import { ProbeError } from '../kernel/protocol';
import type { IBridgeFinder, ILiveRequester } from '../kernel/requester';
import { LivePoller } from '../live/poller';
import type { RunningCells } from '../live/running';
import type { ITarget } from '../live/target';
import { TargetWatcher } from '../live/watcher';
import type { ThreadsModel } from './model';

/**
 * Keeps the Threads model in step with the current notebook's kernel.
 */
export class ThreadsService implements IDisposable {
  constructor(options: ThreadsService.IOptions) {
    this.model = options.model;
    this._bridges = options.bridges;
    this._settings = { ...ThreadsService.DEFAULT_SETTINGS, ...options.settings };
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this._poller = new LivePoller({ interval: this._settings.refreshInterval });
    this._poller.due.connect(this._onPollDue, this);
    this._watcher = new TargetWatcher({
      debugger: options.debugger,
      notebookTracker: options.notebookTracker,
      executions: options.executions,
      trans: this._trans
    });
    this._watcher.changed.connect(this._onTargetChanged, this);
    this.model.shownChanged.connect(this._onShownChanged, this);
    this._sync(false);
  }

  readonly model: ThreadsModel;

  /** The interval, timeout and budgets in use; a new interval re-arms a waiting poll. */
  get settings(): ThreadsService.ISettings {
    return this._settings;
  }
  set settings(value: ThreadsService.ISettings) {
    this._settings = { ...value };
    this._poller.interval = value.refreshInterval;
    if (this._poller.isScheduled) {
      this._poller.schedule();
    }
  }

  /**
   * Read the threads now, running or not. A read already on its way is
   * awaited rather than doubled: a kernel that does not answer gets no pile.
   */
  async refresh(): Promise<void> {
    this._sync(true);
    await this._loading;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poller.dispose();
    this._watcher.dispose();
    Signal.clearData(this);
  }

  /**
   * Work out what to read and, when the target changed (or `force`), read
   * it: live polls while a cell runs, one read at a stop, and one read after
   * a cell or on demand when idle. A new target starts a new generation, so
   * replies to older requests are dropped.
   */
  private _sync(force: boolean): void {
    if (this._isDisposed) {
      return;
    }
    const target = this.model.isShown ? this._watcher.current() : null;
    if (!target) {
      this._forget();
      if (this.model.isShown) {
        this.model.clear();
        this.model.setMode('none');
      }
      return;
    }
    if (this._sampleKernel && this._sampleKernel !== target.kernel) {
      this._sampleKernel = null;
      this._unansweredSince = null;
      this.model.clear();
    }
    const mode = target.mode === 'globals' ? 'idle' : target.mode;
    this.model.setMode(mode);
    const changed = this._target?.key !== target.key;
    if (!changed && !force) {
      return;
    }
    if (changed) {
      this._generation++;
      this._inFlight = null;
    }
    this._target = target;
    this._poller.stop();
    const bridge = this._bridges.bridgeFor(target.kernel);
    // Without a subshell a running cell holds the only shell: nothing answers.
    if (bridge.state === 'unsupported' || (mode === 'live' && bridge.transport === 'shell')) {
      this._loading = Promise.resolve();
      this.model.setError(this._unsupported(bridge));
      return;
    }
    if (mode === 'live' && !force) {
      // A cell that ends within a moment costs no request at all.
      this._loading = Promise.resolve();
      this._poller.scheduleFirst();
    } else if (mode !== 'idle' || force) {
      this._loading = this._inFlight ?? this._load(target);
    } else {
      this._loading = Promise.resolve();
    }
  }

  /** Read the threads of `target` once, and re-arm the poll while its cell runs. */
  private _load(target: ITarget): Promise<void> {
    const read = this._read(target).finally(() => {
      if (this._inFlight === read) {
        this._inFlight = null;
      }
    });
    this._inFlight = read;
    return read;
  }

  private async _read(target: ITarget): Promise<void> {
    const generation = this._generation;
    const bridge = this._bridges.bridgeFor(target.kernel);
    const timeout = this._settings.requestTimeoutMs;
    const started = Date.now();
    if (!this.model.sample) {
      this.model.setLoading();
    }
    try {
      const sample = await bridge.request(
        'threads',
        {
          locals: true,
          budget_ms: this._settings.callBudgetMs,
          value_budget_ms: this._settings.valueBudgetMs
        },
        timeout
      );
      if (this._isDisposed || generation !== this._generation) {
        return;
      }
      this._unansweredSince = null;
      this._sampleKernel = target.kernel;
      this.model.setSample(sample, Date.now());
    } catch (reason) {
      if (this._isDisposed || generation !== this._generation) {
        return;
      }
      if (reason instanceof ProbeError && reason.kind === 'timeout') {
        // Counted from the first unanswered request: the probe's subshell
        // waits for the GIL, which a long C call keeps.
        const since = this._unansweredSince ?? started;
        this._unansweredSince = since;
        this.model.setStalled(Math.round(Math.max(timeout, Date.now() - since) / 1000));
      } else if (reason instanceof ProbeError && reason.kind === 'no-subshells') {
        this.model.setError(this._unsupported(bridge));
      } else {
        this.model.setError(describeError(reason, this._trans));
      }
    }
    if (this._target?.mode === 'live') {
      // Chained after the reply, so a slow kernel never has polls piling up.
      this._poller.schedule();
    }
  }

  private _forget(): void {
    this._generation++;
    this._target = null;
    this._inFlight = null;
    this._poller.stop();
    this._loading = Promise.resolve();
  }

  private _unsupported(bridge: ThreadsService.IBridge): string {
    return this._trans.__(bridge.message || 'Live view needs ipykernel 7 or newer.');
  }

  private _onPollDue(): void {
    const target = this._target;
    if (target?.mode === 'live') {
      this._loading = this._inFlight ?? this._load(target);
    }
  }

  private _onTargetChanged(_: TargetWatcher, change: TargetWatcher.IChange): void {
    if (change.restarted) {
      // The threads of a kernel that restarted are gone: a deadlock shown from it would lie.
      this._sampleKernel = null;
      this._unansweredSince = null;
      this.model.clear();
    }
    this._sync(change.force);
  }

  private _onShownChanged(): void {
    this._sync(false);
  }

  private _bridges: ThreadsService.IBridges;
  private _settings: ThreadsService.ISettings;
  private _trans: TranslationBundle;
  private _poller: LivePoller;
  private _watcher: TargetWatcher;
  private _target: ITarget | null = null;
  private _sampleKernel: Kernel.IKernelConnection | null = null;
  private _generation = 0;
  private _inFlight: Promise<void> | null = null;
  private _loading: Promise<void> = Promise.resolve();
  private _unansweredSince: number | null = null;
  private _isDisposed = false;
}

export namespace ThreadsService {
  export interface IOptions {
    debugger: IDebugger;
    notebookTracker: INotebookTracker;
    bridges: IBridges;
    model: ThreadsModel;
    /** `NotebookActions`' `executionScheduled` and `executed` in the application. */
    executions: RunningCells.IExecutions;
    settings?: Partial<ISettings>;
    translator?: ITranslator;
  }

  /** The part of the bridge every section that reads running cells uses. */
  export type IBridge = ILiveRequester;
  export type IBridges = IBridgeFinder<IBridge>;

  export interface ISettings {
    /** Live refresh interval while a cell runs, in ms. */
    refreshInterval: number;
    /** How long to wait for the kernel to answer, in ms. */
    requestTimeoutMs: number;
    /** Time budget for the whole walk, in ms. */
    callBudgetMs: number;
    /** Time budget for one local value's summary, in ms. */
    valueBudgetMs: number;
  }

  export const DEFAULT_SETTINGS: ISettings = {
    refreshInterval: 2000,
    requestTimeoutMs: 10000,
    callBudgetMs: 1000,
    valueBudgetMs: 150
  };
}
