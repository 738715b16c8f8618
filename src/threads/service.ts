/**
 * Orchestration of the Threads section: reads every thread's stack with the
 * `threads` op while a cell runs, at the refresh interval but at most once a
 * second (one request at a time, re-armed after each reply), once at every
 * stop and after every cell, and on demand. Nothing is asked while the section is folded. No DOM.
 *
 * What to read comes from the target watcher (frame, running cell or idle
 * kernel); when to send, and which replies still count, from the live reader.
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
import type { IThreads } from '../kernel/liveProtocol';
import { LivePoller } from '../live/poller';
import { LiveReader } from '../live/reader';
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
    this._reader = new LiveReader({
      interval: LivePoller.slowInterval(this._settings.refreshInterval),
      shown: this.model,
      request: target => this._request(target),
      show: (sample, target) => this._show(sample, target),
      fail: (reason, target) => this._fail(reason, target)
    });
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
    this._reader.interval = LivePoller.slowInterval(value.refreshInterval);
  }

  /**
   * Read the threads now, running or not. A read already on its way is
   * awaited rather than doubled: a kernel that does not answer gets no pile.
   */
  async refresh(): Promise<void> {
    this._sync(true);
    await this._reader.loading;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._reader.dispose();
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
      this._reader.follow(null);
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
    if (this._reader.target?.key !== target.key) {
      this._reader.follow(target);
    } else if (!force) {
      return;
    }
    const bridge = this._bridges.bridgeFor(target.kernel);
    // Without a subshell a running cell holds the only shell: nothing answers.
    if (bridge.state === 'unsupported' || (mode === 'live' && bridge.transport === 'shell')) {
      this._reader.pause();
      this.model.setError(this._unsupported(bridge));
      return;
    }
    if (mode === 'live') {
      // A cell that ends within a moment costs no request at all.
      this._reader.poll();
    }
    if (mode === 'stopped' || force) {
      void this._reader.read();
    }
  }

  /** Ask for every thread's stack; until the first sample, say it is loading. */
  private _request(target: ITarget): Promise<IThreads> {
    this._askedAt = Date.now();
    if (!this.model.sample) {
      this.model.setLoading();
    }
    return this._bridges.bridgeFor(target.kernel).request(
      'threads',
      {
        locals: true,
        budget_ms: this._settings.callBudgetMs,
        value_budget_ms: this._settings.valueBudgetMs
      },
      this._settings.requestTimeoutMs
    );
  }

  private _show(sample: IThreads, target: ITarget): void {
    this._unansweredSince = null;
    this._sampleKernel = target.kernel;
    this.model.setSample(sample, Date.now());
  }

  private _fail(reason: unknown, target: ITarget): void {
    if (reason instanceof ProbeError && reason.kind === 'timeout') {
      // Counted from the first unanswered request: the probe's subshell
      // waits for the GIL, which a long C call keeps.
      const since = this._unansweredSince ?? this._askedAt;
      this._unansweredSince = since;
      const waited = Math.max(this._settings.requestTimeoutMs, Date.now() - since);
      this.model.setStalled(Math.round(waited / 1000));
    } else if (reason instanceof ProbeError && reason.kind === 'no-subshells') {
      this.model.setError(this._unsupported(this._bridges.bridgeFor(target.kernel)));
    } else {
      this.model.setError(describeError(reason, this._trans));
    }
  }

  private _unsupported(bridge: ThreadsService.IBridge): string {
    return this._trans.__(bridge.message || 'Live view needs ipykernel 7 or newer.');
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
  private _reader: LiveReader<ITarget, IThreads>;
  private _watcher: TargetWatcher;
  private _sampleKernel: Kernel.IKernelConnection | null = null;
  private _askedAt = 0;
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
