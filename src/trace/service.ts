/**
 * The Code Trace of every kernel the user worked with: one bounded model per
 * kernel, and the current notebook's model for the view. No DOM.
 *
 * Rows are fetched, never pushed: the probe keeps them in the kernel and the
 * current kernel's feed asks for those after its last row when the debugger
 * stops, when a cell of the current notebook finishes, at the refresh
 * interval while one runs, when the bridge connects and when the notebook
 * comes into focus; and only while the Trace section is shown (showing it
 * fetches what was recorded meanwhile).
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { IDebugger } from '@jupyterlab/debugger';
import type {
  INotebookTracker,
  Notebook,
  NotebookPanel
} from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { KernelBridge } from '../kernel/bridge';
import { describeError } from '../errors';
import { LivePoller } from '../live/poller';
import { RunningCells } from '../live/running';
import { cellNumber } from '../notebook/cells';
import { TraceFeed } from './feed';
import { TraceModel } from './model';
import type { IBridgeFinder } from '../kernel/requester';

/**
 * Follows the current notebook's kernel and keeps a trace per kernel.
 */
export class TraceService implements IDisposable {
  constructor(options: TraceService.IOptions) {
    this._debugger = options.debugger;
    this._tracker = options.notebookTracker;
    this._bridges = options.bridges;
    this._capacity = options.capacity;
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_ml_debugger'
    );
    this._executions = options.executions;
    this._running = new RunningCells(options.executions);
    this._running.changed.connect(this._onRunningChanged, this);
    this._executions.executed.connect(this._onExecuted, this);
    this._poller = new LivePoller({
      interval: options.refreshInterval ?? TraceService.DEFAULT_REFRESH_INTERVAL
    });
    this._poller.due.connect(this._onPollDue, this);
    this._debugger.model.callstack.framesChanged.connect(this._onFrames, this);
    this._tracker.currentChanged.connect(this._follow, this);
    this._follow();
  }

  /**
   * Whether the Trace section is on screen. While it is not, nothing is
   * fetched; showing it again fetches the rows recorded meanwhile.
   */
  get isShown(): boolean {
    return this._isShown;
  }
  set isShown(value: boolean) {
    if (value === this._isShown) {
      return;
    }
    this._isShown = value;
    if (value) {
      this._catchUp();
      this._armPoll();
    } else {
      this._poller.stop();
    }
  }

  /** How often rows are fetched while a cell runs, in ms. */
  get refreshInterval(): number {
    return this._poller.interval;
  }
  set refreshInterval(value: number) {
    this._poller.interval = value;
    if (this._poller.isScheduled) {
      this._poller.schedule();
    }
  }

  /** Emitted when the current notebook's kernel, and so `model`, changed. */
  get currentChanged(): ISignal<this, TraceModel | null> {
    return this._currentChanged;
  }

  /** The trace of the current notebook's kernel; null without a kernel. */
  get model(): TraceModel | null {
    return this._current?.model ?? null;
  }

  /** The 1-based cell of the current notebook that ran from `path`, or null. */
  cellOf(path: string): number | null {
    return cellNumber(this._debugger, this._tracker.currentWidget, path);
  }

  /**
   * Forget the current trace, here and in the kernel. Rejects with a
   * sentence for the user when the kernel could not be asked.
   */
  async clear(): Promise<void> {
    const feed = this._current;
    if (!feed) {
      return;
    }
    if (feed.bridge.state !== 'ready') {
      feed.model.clear();
      return;
    }
    try {
      const result = await feed.bridge.request('clear_trace', {});
      if (!feed.isDisposed) {
        feed.model.clear(result.next);
      }
    } catch (reason) {
      throw new Error(describeError(reason, this._trans));
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
    this._watch(null);
    this._watchBridge(null);
    this._tracker.currentChanged.disconnect(this._follow, this);
    this._debugger.model.callstack.framesChanged.disconnect(this._onFrames, this);
    this._executions.executed.disconnect(this._onExecuted, this);
    this._poller.dispose();
    this._running.dispose();
    for (const feed of this._feeds.values()) {
      feed.model.dispose();
      feed.dispose();
    }
    this._feeds.clear();
    Signal.clearData(this);
  }

  /** Switch to the current notebook's kernel, catching up on its rows. */
  private _follow(): void {
    const panel: NotebookPanel | null = this._tracker.currentWidget;
    this._watch(panel?.sessionContext ?? null);
    const kernel = panel?.sessionContext.session?.kernel ?? null;
    const feed = kernel ? this._feedOf(kernel) : null;
    this._watchBridge(feed?.bridge ?? null);
    const changed = feed !== this._current;
    this._current = feed;
    this._catchUp();
    this._poller.stop();
    this._armPoll();
    if (changed) {
      this._currentChanged.emit(feed?.model ?? null);
    }
  }

  /** Fetch the current kernel's new rows, if the section is shown. */
  private _catchUp(): void {
    if (this._isShown && this._current) {
      void this._current.catchUp();
    }
  }

  /** The notebook shown, whose cells drive the fetches. */
  private _notebook(): Notebook | null {
    return this._tracker.currentWidget?.content ?? null;
  }

  /** Fetch at the interval while a cell of the current notebook runs. */
  private _armPoll(): void {
    const notebook = this._notebook();
    if (
      this._isShown &&
      this._current &&
      notebook &&
      this._running.isRunning(notebook) &&
      !this._poller.isScheduled
    ) {
      this._poller.schedule();
    }
  }

  /** A poll came due: fetch, then arm the next one once this one is answered. */
  private _onPollDue(): void {
    const feed = this._current;
    if (!this._isShown || !feed) {
      return;
    }
    void feed.catchUp().then(() => {
      if (!this._isDisposed && feed === this._current) {
        this._armPoll();
      }
    });
  }

  private _onRunningChanged(_: unknown, change: RunningCells.IChange): void {
    if (change.notebook !== this._notebook()) {
      return;
    }
    if (change.running) {
      this._armPoll();
    } else {
      this._poller.stop();
    }
  }

  private _onExecuted(_: unknown, args: { notebook: Notebook }): void {
    if (args.notebook === this._notebook()) {
      this._catchUp();
    }
  }

  /** The debugger stopped (the call stack got frames): fetch the rows before the stop. */
  private _onFrames(_: unknown, frames: readonly IDebugger.IStackFrame[]): void {
    if (frames.length > 0) {
      this._catchUp();
    }
  }

  private _onBridgeState(_: unknown, state: KernelBridge.State): void {
    if (state === 'ready') {
      this._catchUp();
    }
  }

  private _watchBridge(bridge: TraceService.IBridge | null): void {
    if (this._bridge === bridge) {
      return;
    }
    this._bridge?.stateChanged.disconnect(this._onBridgeState, this);
    this._bridge = bridge;
    bridge?.stateChanged.connect(this._onBridgeState, this);
  }

  private _feedOf(kernel: Kernel.IKernelConnection): TraceFeed {
    let feed = this._feeds.get(kernel);
    if (!feed) {
      feed = new TraceFeed({
        bridge: this._bridges.bridgeFor(kernel),
        model: new TraceModel({ capacity: this._capacity }),
        describe: reason => describeError(reason, this._trans)
      });
      this._feeds.set(kernel, feed);
      kernel.disposed.connect(this._onKernelDisposed, this);
    }
    return feed;
  }

  private _onKernelDisposed(kernel: Kernel.IKernelConnection): void {
    const feed = this._feeds.get(kernel);
    this._feeds.delete(kernel);
    if (feed === this._current) {
      this._current = null;
      this._watchBridge(null);
      this._poller.stop();
      this._currentChanged.emit(null);
    }
    feed?.model.dispose();
    feed?.dispose();
  }

  private _watch(context: ISessionContext | null): void {
    if (this._context === context) {
      return;
    }
    this._context?.kernelChanged.disconnect(this._follow, this);
    this._context?.statusChanged.disconnect(this._onKernelStatus, this);
    this._context = context;
    context?.kernelChanged.connect(this._follow, this);
    context?.statusChanged.connect(this._onKernelStatus, this);
  }

  /** A restarted or dead kernel's cells never report finishing: forget them. */
  private _onKernelStatus(_: unknown, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting' || status === 'dead') {
      const notebook = this._notebook();
      if (notebook) {
        this._running.forget(notebook);
      }
      this._poller.stop();
    }
  }

  private _debugger: IDebugger;
  private _tracker: INotebookTracker;
  private _bridges: TraceService.IBridges;
  private _capacity: number | undefined;
  private _trans: TranslationBundle;
  private _feeds = new Map<Kernel.IKernelConnection, TraceFeed>();
  private _current: TraceFeed | null = null;
  private _context: ISessionContext | null = null;
  private _bridge: TraceService.IBridge | null = null;
  private _executions: RunningCells.IExecutions;
  private _running: RunningCells;
  private _poller: LivePoller;
  private _isShown = true;
  private _currentChanged = new Signal<this, TraceModel | null>(this);
  private _isDisposed = false;
}

export namespace TraceService {
  export interface IOptions {
    debugger: IDebugger;
    notebookTracker: INotebookTracker;
    bridges: IBridges;
    /**
     * `NotebookActions.executionScheduled` and `executed`: a finished cell
     * of the current notebook fetches its rows, a running one fetches at
     * the refresh interval.
     */
    executions: RunningCells.IExecutions;
    /** How often rows are fetched while a cell runs, in ms. */
    refreshInterval?: number;
    /** Rows kept per kernel. */
    capacity?: number;
    translator?: ITranslator;
  }

  /** The Variable Values' default refresh interval, in ms. */
  export const DEFAULT_REFRESH_INTERVAL = 2000;

  /** The part of the kernel bridge the trace uses: its feeds'. */
  export type IBridge = TraceFeed.IBridge;

  /** Hands out the bridge of a kernel, as `BridgeRegistry` does. */
  export type IBridges = IBridgeFinder<IBridge>;
}
