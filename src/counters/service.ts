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
import { ProbeError } from '../kernel/protocol';
import { describeError } from '../errors';
import { LivePoller } from '../live/poller';
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
    this._poller = new LivePoller({ interval: CountersService.pollInterval(this._settings) });
    this._poller.due.connect(this._onPollDue, this);
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
    this._kernel = target?.kernel ?? null;
    this._mode = target?.mode ?? null;
  }

  readonly model: CountersModel;

  /** The sampling interval and request timeout; a waiting poll is re-armed. */
  get settings(): CountersService.ISettings {
    return this._settings;
  }
  set settings(value: CountersService.ISettings) {
    this._settings = { ...value };
    this._poller.interval = CountersService.pollInterval(value);
    if (this._poller.isScheduled) {
      this._poller.schedule();
    }
  }

  /** Take a sample now; the model shows the result or what went wrong. */
  sample(): Promise<void> {
    if (this._isDisposed || !this.model.isShown) {
      return Promise.resolve();
    }
    const target = this._watcher.current();
    if (!target) {
      this.model.setEmpty(
        this._trans.__('Open a notebook with a running kernel to sample its counters.')
      );
      return Promise.resolve();
    }
    if (this._inFlight) {
      // One request at a time: sample once more when this one is answered.
      this._again = true;
      return this._inFlight;
    }
    this._poller.stop();
    this._inFlight = this._run(target.kernel);
    return this._inFlight;
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
    this._executions.executed.disconnect(this._onExecuted, this);
    Signal.clearData(this);
  }

  private async _run(kernel: Kernel.IKernelConnection): Promise<void> {
    try {
      do {
        this._again = false;
        await this._load(kernel);
        kernel = this._watcher.current()?.kernel ?? kernel;
      } while (this._again && !this._isDisposed && this.model.isShown);
    } finally {
      this._inFlight = null;
    }
    this._arm(false);
  }

  /** One sample; a reply for a kernel no longer current is dropped. */
  private async _load(kernel: Kernel.IKernelConnection): Promise<void> {
    const bridge = this._bridges.bridgeFor(kernel);
    this.model.setLoading();
    try {
      const sample = await bridge.request('counters', {}, this._settings.requestTimeoutMs);
      if (!this._isDisposed && kernel === this._kernel) {
        this.model.setSample(sample);
      }
    } catch (reason) {
      if (this._isDisposed || kernel !== this._kernel) {
        return;
      }
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
  }

  /**
   * Arm the next live poll: only while a cell runs, the section is shown and
   * no request is out, and only where the kernel can answer mid-cell.
   */
  private _arm(first: boolean): void {
    const live = this._isLive();
    this.model.setSampling(live);
    if (!live || this._inFlight) {
      return;
    }
    if (first) {
      this._poller.scheduleFirst();
    } else {
      this._poller.schedule();
    }
  }

  private _isLive(): boolean {
    return (
      !this._isDisposed &&
      this.model.isShown &&
      this._mode === 'live' &&
      this._kernel !== null &&
      this._bridges.bridgeFor(this._kernel).transport === 'subshell'
    );
  }

  private _onTargetChanged(): void {
    const target = this._watcher.current();
    const kernel = target?.kernel ?? null;
    const mode = target?.mode ?? null;
    const kernelChanged = kernel !== this._kernel;
    const modeChanged = mode !== this._mode;
    this._kernel = kernel;
    this._mode = mode;
    if (!modeChanged && !kernelChanged) {
      return;
    }
    this._poller.stop();
    if (kernelChanged) {
      // Another kernel's counters: the history shown is no longer its own.
      this.model.setEmpty();
    }
    if (!this.model.isShown || !target) {
      this.model.setSampling(false);
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
      this._arm(true);
      return;
    }
    this.model.setSampling(false);
    if (mode === 'stopped' || kernelChanged) {
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
    if (shown) {
      void this.sample();
    } else {
      this._poller.stop();
      this.model.setSampling(false);
    }
  }

  private _onPollDue(): void {
    if (this._isLive()) {
      void this.sample();
    }
  }

  private _bridges: CountersService.IBridges;
  private _tracker: INotebookTracker;
  private _executions: RunningCells.IExecutions;
  private _settings: CountersService.ISettings;
  private _trans: TranslationBundle;
  private _poller: LivePoller;
  private _watcher: TargetWatcher;
  private _kernel: Kernel.IKernelConnection | null;
  private _mode: TargetMode | null;
  private _inFlight: Promise<void> | null = null;
  private _again = false;
  private _isDisposed = false;
}

export namespace CountersService {
  /**
   * Memory and handles move over seconds: a faster sample would cost the
   * running cell and show nothing new. On the shared clock a 1 s tick is
   * also a tick of the 500 ms interval, so the sample still shares the
   * other sections' message.
   */
  export const MIN_INTERVAL_MS = 1000;

  /** The interval the Counters section samples at. */
  export function pollInterval(settings: ISettings): number {
    return Math.max(MIN_INTERVAL_MS, settings.refreshInterval);
  }

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
