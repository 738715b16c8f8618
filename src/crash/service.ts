/**
 * Orchestration of the Crash and Hang view. Crash reports come from the
 * server extension (no kernel round trip, so they are read whether the view
 * is open or not, for its count in the ML Debugger menu): when a notebook
 * becomes current, when its kernel changes, and when its kernel dies or
 * restarts, again for a few seconds, since the server writes the report
 * within two. The hang flag of a running cell comes from the probe's `hang`
 * op through the live reader, at most once a second and only while the view
 * is open; a kernel that does not answer can be read from outside its
 * process on demand. No DOM.
 *
 * When the notebook, its kernel or its running cells change, and when the
 * kernel dies or comes back, comes from the target watcher, as for the other
 * live sections.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import { describeError } from '../errors';
import type { IHang } from '../kernel/liveProtocol';
import type { IHello } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import type { IBridgeFinder, ILiveRequester } from '../kernel/requester';
import { LivePoller } from '../live/poller';
import { LiveReader } from '../live/reader';
import type { RunningCells } from '../live/running';
import { TargetWatcher } from '../live/watcher';
import type { CrashModel } from './model';
import { ServerReads } from './serverReads';
import type { ICrashServer } from './server';

/**
 * Keeps the Crash and Hang model in step with the current notebook's kernel.
 */
export class CrashService implements IDisposable {
  constructor(options: CrashService.IOptions) {
    this.model = options.model;
    this._bridges = options.bridges;
    this._reports = new ServerReads({
      model: this.model,
      server: options.server,
      retryAfterDeathMs: options.retryAfterDeathMs ?? CrashService.RETRY_AFTER_DEATH_MS
    });
    this._tracker = options.notebookTracker;
    this._settings = { ...CrashService.DEFAULT_SETTINGS, ...options.settings };
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this._reader = new LiveReader({
      interval: LivePoller.slowInterval(this._settings.refreshInterval),
      shown: this.model,
      request: kernel => this._requestHang(kernel),
      show: hang => {
        this._unansweredSince = null;
        this.model.setHang(hang, Date.now());
      },
      fail: reason => this._fail(reason)
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

  readonly model: CrashModel;

  get settings(): CrashService.ISettings {
    return this._settings;
  }
  set settings(value: CrashService.ISettings) {
    this._settings = { ...value };
    this._reader.interval = LivePoller.slowInterval(value.refreshInterval);
  }

  /** Read the reports again, and the hang flag when a cell runs. */
  async refresh(): Promise<void> {
    const reports = this._reports.read();
    this._sync(true);
    await Promise.all([reports, this._reader.loading]);
  }

  /** Dismiss the report shown; the server forgets it. Throws a sentence when it cannot. */
  dismiss(): Promise<void> {
    return this._reports.dismiss();
  }

  /** Read every thread's stack of the kernel's process from outside it (py-spy). */
  readOutside(): Promise<void> {
    return this._reports.readOutside();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._watcher.dispose();
    this._reader.dispose();
    this._reports.dispose();
    Signal.clearData(this);
  }

  /** The current notebook's kernel connection, null without one. */
  private _kernel(): Kernel.IKernelConnection | null {
    return this._tracker.currentWidget?.sessionContext.session?.kernel ?? null;
  }

  /**
   * Follow the kernel now current: a new kernel forgets the old one's state
   * and reads its reports; a running cell is polled while the view is open,
   * and an open view loads the probe, which arms the crash recorder.
   */
  private _sync(force: boolean): void {
    if (this._isDisposed) {
      return;
    }
    const kernel = this._kernel();
    const id = kernel?.id ?? null;
    if (id !== this.model.kernelId) {
      this.model.setKernel(id);
      this._deathRead = false;
      this._reader.follow(null);
      void this._reports.read();
    }
    const running = this._watcher.isRunning();
    this.model.setRunning(running);
    if (!kernel || !this.model.isShown || kernel.status === 'dead') {
      this._reader.follow(null);
      return;
    }
    this._arm(kernel);
    if (!running) {
      this._reader.follow(null);
      return;
    }
    if (this._reader.target !== kernel) {
      this._reader.follow(kernel);
    } else if (!force) {
      return;
    }
    const bridge = this._bridges.bridgeFor(kernel);
    // Without a subshell a running cell holds the only shell: nothing answers.
    if (bridge.state === 'unsupported' || bridge.transport === 'shell') {
      this._reader.pause();
      this.model.setHangError(this._unsupported(bridge));
      return;
    }
    // A cell that ends within a moment costs no request at all.
    this._reader.poll();
    if (force) {
      void this._reader.read();
    }
  }

  /** Load the probe once per kernel process; what its hello says of the recorder is shown. */
  private _arm(kernel: Kernel.IKernelConnection): void {
    const bridge = this._bridges.bridgeFor(kernel);
    if (bridge.hello) {
      this.model.setRecorder(bridge.hello.crashRecorder);
      return;
    }
    if (this._arming === bridge) {
      return;
    }
    this._arming = bridge;
    bridge.connect().then(
      hello => {
        if (this._arming === bridge) {
          this._arming = null;
        }
        if (!this._isDisposed && this.model.kernelId === kernel.id) {
          this.model.setRecorder(hello.crashRecorder);
        }
      },
      () => {
        // The sections that read the kernel say why it failed; the recorder stays unknown.
        if (this._arming === bridge) {
          this._arming = null;
        }
      }
    );
  }

  private _requestHang(kernel: Kernel.IKernelConnection): Promise<IHang> {
    this._askedAt = Date.now();
    return this._bridges
      .bridgeFor(kernel)
      .request('hang', { threshold_s: this._settings.hangThresholdSeconds }, this._settings.requestTimeoutMs);
  }

  private _fail(reason: unknown): void {
    if (reason instanceof ProbeError && reason.kind === 'timeout') {
      // Counted from the first unanswered request: a C call may hold the GIL.
      const since = this._unansweredSince ?? this._askedAt;
      this._unansweredSince = since;
      const waited = Math.max(this._settings.requestTimeoutMs, Date.now() - since);
      this.model.setStalled(Math.round(waited / 1000));
      return;
    }
    this._unansweredSince = null;
    this.model.setHangError(describeError(reason, this._trans));
  }

  private _unsupported(bridge: ILiveRequester): string {
    return this._trans.__(bridge.message || 'Live view needs ipykernel 7 or newer.');
  }

  private _onTargetChanged(_: TargetWatcher, change: TargetWatcher.IChange): void {
    if (change.restarted) {
      // The running cells and the hang died with the process.
      this._unansweredSince = null;
      this._reader.follow(null);
      this._arming = null;
      this.model.setRunning(false);
      this.model.clearLive();
      // A death passes through several statuses: its report is read once.
      if (!this._deathRead) {
        this._deathRead = true;
        void this._reports.readAfterDeath();
      }
      return;
    }
    if (change.revived) {
      // A new process: its recorder is armed afresh, and the old one's report is listed now.
      this._deathRead = false;
      this.model.setRecorder(null);
      void this._reports.read();
      this._sync(true);
      return;
    }
    if (change.force) {
      // A cell finished: the next one's unanswered requests are counted anew.
      this._unansweredSince = null;
    }
    this._sync(false);
  }

  private _onShownChanged(): void {
    this._sync(false);
  }

  private _bridges: CrashService.IBridges;
  private _reports: ServerReads;
  private _tracker: INotebookTracker;
  private _settings: CrashService.ISettings;
  private _trans: TranslationBundle;
  private _watcher: TargetWatcher;
  private _reader: LiveReader<Kernel.IKernelConnection, IHang>;
  private _deathRead = false;
  private _arming: CrashService.IBridge | null = null;
  private _askedAt = 0;
  private _unansweredSince: number | null = null;
  private _isDisposed = false;
}

export namespace CrashService {
  /**
   * When to read the reports after a death, in ms since it: the server
   * notices a death within a quarter second and writes the report within two.
   */
  export const RETRY_AFTER_DEATH_MS: readonly number[] = [0, 500, 1000, 1500, 2000, 2500, 3000];

  /** The bridge with what arming the recorder needs: its probe loaded, and its hello. */
  export interface IBridge extends ILiveRequester {
    readonly hello: IHello | null;
    connect(): Promise<IHello>;
  }
  export type IBridges = IBridgeFinder<IBridge>;

  export interface IOptions {
    /** The target watcher follows it too; the crash view reads no frame. */
    debugger: IDebugger;
    notebookTracker: INotebookTracker;
    bridges: IBridges;
    server: ICrashServer;
    model: CrashModel;
    /** `NotebookActions`' `executionScheduled` and `executed` in the application. */
    executions: RunningCells.IExecutions;
    settings?: Partial<ISettings>;
    translator?: ITranslator;
    /** Tests shorten the retries after a death. */
    retryAfterDeathMs?: readonly number[];
  }

  export interface ISettings {
    /** Live refresh interval while a cell runs, in ms. */
    refreshInterval: number;
    /** How long to wait for the kernel to answer, in ms. */
    requestTimeoutMs: number;
    /** How long the main thread stays at one line before it is flagged, in s. */
    hangThresholdSeconds: number;
  }

  export const DEFAULT_SETTINGS: ISettings = {
    refreshInterval: 2000,
    requestTimeoutMs: 10000,
    hangThresholdSeconds: 30
  };
}
