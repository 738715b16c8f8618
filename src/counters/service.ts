/**
 * Orchestration of the Counters section: one `counters` request is one
 * sample, and the probe keeps the history. Samples are taken while a cell
 * runs (at the refresh interval, one request at a time, re-armed after each
 * reply; never per output message), after every cell of the current
 * notebook, at every stop, when the section is shown again, and on demand;
 * never while the section is folded. No DOM.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker, Notebook } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type { KernelBridge } from '../kernel/bridge';
import type { ICounters } from '../kernel/liveProtocol';
import { ProbeError } from '../kernel/protocol';
import { describeError } from '../errors';
import { LivePoller } from '../live/poller';
import { LiveReader } from '../live/reader';
import type { RunningCells } from '../live/running';
import type { TargetMode } from '../live/target';
import { TargetWatcher } from '../live/watcher';
import type { CountersModel } from './model';
import type { IBridgeFinder, IProbeRequester } from '../kernel/requester';

/**
 * Keeps the Counters model sampled from the current notebook's kernel.
 */
export class CountersService implements IDisposable {
  constructor(options: CountersService.IOptions) {
    this.model = options.model;
    this._bridges = options.bridges;
    this._tracker = options.notebookTracker;
    this._executions = options.executions;
    this._settings = { ...CountersService.DEFAULT_SETTINGS, ...options.settings };
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    // Read per kernel, not per target: a sample of any frame or cell of the
    // kernel is its sample, and only another kernel's reply is dropped.
    this._reader = new LiveReader({
      interval: LivePoller.slowInterval(this._settings.refreshInterval),
      shown: this.model,
      request: kernel => this._request(kernel),
      show: sample => this.model.setSample(sample),
      fail: reason => this._fail(reason)
    });
    this._watcher = new TargetWatcher({
      debugger: options.debugger,
      notebookTracker: options.notebookTracker,
      executions: options.executions,
      trans: this._trans
    });
    this._watcher.changed.connect(this._onTargetChanged, this);
    this._executions.executed.connect(this._onExecuted, this);
    this.model.shownChanged.connect(this._onShownChanged, this);
    const target = this._watcher.current();
    this._reader.follow(target?.kernel ?? null);
    this._mode = target?.mode ?? null;
  }

  readonly model: CountersModel;

  /** The sampling interval and request timeout; a waiting poll is re-armed. */
  get settings(): CountersService.ISettings {
    return this._settings;
  }
  set settings(value: CountersService.ISettings) {
    this._settings = { ...value };
    this._reader.interval = LivePoller.slowInterval(value.refreshInterval);
  }

  /** Take a sample now; the model shows the result or what went wrong. */
  sample(): Promise<void> {
    if (this._isDisposed || !this.model.isShown) {
      return Promise.resolve();
    }
    if (!this._watcher.current()) {
      this.model.setEmpty(
        this._trans.__('Open a notebook with a running kernel to sample its counters.')
      );
      return Promise.resolve();
    }
    // One request at a time: sample once more when the one out is answered.
    return this._reader.read({ again: true });
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
    this._executions.executed.disconnect(this._onExecuted, this);
    Signal.clearData(this);
  }

  private _request(kernel: Kernel.IKernelConnection): Promise<ICounters> {
    this.model.setLoading();
    return this._bridges
      .bridgeFor(kernel)
      .request('counters', {}, this._settings.requestTimeoutMs);
  }

  private _fail(reason: unknown): void {
    if (reason instanceof ProbeError && reason.kind === 'timeout') {
      const message = this._trans.__(
        'The kernel is busy and did not answer in time; sampling resumes at the next interval, or press Refresh.'
      );
      if (this.model.sample) {
        this.model.setNotice(message);
      } else {
        this.model.setError(message);
      }
      return;
    }
    this.model.setError(
      reason instanceof ProbeError
        ? describeError(reason, this._trans)
        : this._trans.__(
            'Sampling the counters failed: %1. Press Refresh; if it keeps failing, restart the kernel.',
            reason instanceof Error ? reason.message : String(reason)
          )
    );
  }

  /**
   * Poll while a cell runs, only where the kernel can answer mid-cell; the
   * section says it samples while it is shown.
   */
  private _arm(): void {
    const kernel = this._reader.target;
    const live =
      this._mode === 'live' &&
      kernel !== null &&
      this._bridges.bridgeFor(kernel).transport === 'subshell';
    this.model.setSampling(live && this.model.isShown);
    if (live) {
      this._reader.poll();
    } else {
      this._reader.pause();
    }
  }

  private _onTargetChanged(): void {
    const target = this._watcher.current();
    const kernel = target?.kernel ?? null;
    const mode = target?.mode ?? null;
    const kernelChanged = kernel !== this._reader.target;
    if (mode === this._mode && !kernelChanged) {
      return;
    }
    this._mode = mode;
    if (kernelChanged) {
      this._reader.follow(kernel);
      // Another kernel's counters: the history shown is no longer its own.
      this.model.setEmpty();
    }
    this._arm();
    if (!this.model.isShown || !target) {
      return;
    }
    if (mode === 'live') {
      if (this._bridges.bridgeFor(target.kernel).transport === 'shell') {
        this.model.setNotice(
          this._trans.__(
            'This kernel cannot answer while a cell runs (it has no subshells; ipykernel 7 or newer has): counters are sampled again when the cell ends.'
          )
        );
      }
    } else if (mode === 'stopped' || kernelChanged) {
      void this.sample();
    }
  }

  /** After every cell of the current notebook, not only the last of a run. */
  private _onExecuted(_: unknown, args: { notebook: Notebook }): void {
    if (args.notebook === this._tracker.currentWidget?.content) {
      void this.sample();
    }
  }

  private _onShownChanged(_: CountersModel, shown: boolean): void {
    // Hidden, the reader sends nothing; shown again, it polls as before.
    this._arm();
    if (shown) {
      void this.sample();
    }
  }

  private _bridges: CountersService.IBridges;
  private _tracker: INotebookTracker;
  private _executions: RunningCells.IExecutions;
  private _settings: CountersService.ISettings;
  private _trans: TranslationBundle;
  private _reader: LiveReader<Kernel.IKernelConnection, ICounters>;
  private _watcher: TargetWatcher;
  private _mode: TargetMode | null;
  private _isDisposed = false;
}

export namespace CountersService {
  /** The part of the kernel bridge this service uses. */
  export interface IBridge extends IProbeRequester {
    readonly transport: KernelBridge.Transport;
  }

  export type IBridges = IBridgeFinder<IBridge>;

  export interface IOptions {
    debugger: IDebugger;
    notebookTracker: INotebookTracker;
    bridges: IBridges;
    model: CountersModel;
    /** `NotebookActions.executionScheduled` and `executed` in the application. */
    executions: RunningCells.IExecutions;
    settings?: Partial<ISettings>;
    translator?: ITranslator;
  }

  export interface ISettings {
    /** How often to sample while a cell runs, in ms (the live refresh interval). */
    refreshInterval: number;
    /** How long to wait for the kernel's answer, in ms. */
    requestTimeoutMs: number;
  }

  export const DEFAULT_SETTINGS: ISettings = {
    refreshInterval: 2000,
    requestTimeoutMs: 10000
  };
}
