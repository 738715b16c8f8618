/**
 * Orchestration of the Variable Values section: decides which values to show
 * (a stopped frame, a running cell, or the globals), asks the kernel bridge
 * for them, and fills the model. No DOM.
 *
 * Requests happen on signals (frame selected, cell finished, notebook or
 * kernel switched), on demand, and at the refresh interval while a cell runs;
 * never per output message, so a chatty cell costs no extra round trips.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel } from '@jupyterlab/services';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type { KernelBridge } from '../kernel/bridge';
import type { IOperations, IRow } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import { rowKey } from './model';
import type { VariableValuesModel } from './model';
import { describeError } from './errors';
import { RunningCells } from './running';
import type { ITarget } from './target';
import { computeTarget, toValues } from './target';

/**
 * Keeps the Variable Values model in step with the debugger and the notebook.
 */
export class VariableValuesService implements IDisposable {
  constructor(options: VariableValuesService.IOptions) {
    this._debugger = options.debugger;
    this._tracker = options.notebookTracker;
    this._bridges = options.bridges;
    this._model = options.model;
    this._settings = { ...VariableValuesService.DEFAULT_SETTINGS, ...options.settings };
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_ml_debugger'
    );
    this._running = new RunningCells(options.executions);
    this._running.changed.connect(this._onRunningChanged, this);

    this._debugger.sessionChanged.connect(this._onDebuggerChanged, this);
    this._debugger.model.callstack.currentFrameChanged.connect(
      this._onDebuggerChanged,
      this
    );
    this._tracker.currentChanged.connect(this._onNotebookChanged, this);
    this._onNotebookChanged();
  }

  get model(): VariableValuesModel {
    return this._model;
  }

  /** The interval and budgets in use; setting them re-arms a running poll. */
  get settings(): VariableValuesService.ISettings {
    return this._settings;
  }
  set settings(value: VariableValuesService.ISettings) {
    const old = this._settings.refreshInterval;
    this._settings = { ...value };
    if (this._target?.mode === 'live' && old !== value.refreshInterval) {
      this._schedulePoll(this._pollDelay());
    }
  }

  /**
   * Read the values again now. Rejects with a sentence for the user when the
   * kernel could not answer; a reply overtaken by a newer request is no error.
   */
  async refresh(): Promise<void> {
    this._sync(true);
    const message = await this._loading;
    if (message) {
      throw new Error(message);
    }
  }

  /** Load the attributes or items of a row, shown below it. */
  async expand(row: IRow): Promise<void> {
    const target = this._target;
    if (!target) {
      return;
    }
    const key = rowKey(row.path);
    this._model.setChildren(key, {
      status: 'loading',
      rows: [],
      truncated: false,
      message: ''
    });
    const message = await this._loadChildren(target, key, row);
    if (message) {
      throw new Error(message);
    }
  }

  /** Hide the attributes or items of a row. */
  collapse(row: IRow): void {
    this._model.collapse(rowKey(row.path));
  }

  /**
   * Ask for a row's own repr: the one place the user's code runs, and only
   * because the user asked for it on this row.
   */
  async showRepr(row: IRow): Promise<void> {
    const target = this._target;
    if (!target) {
      return;
    }
    const key = rowKey(row.path);
    const generation = this._generation;
    this._model.setRepr(key, { status: 'loading', text: '', truncated: false });
    try {
      const repr = await this._bridgeOf(target).request(
        'repr',
        { scope: target.scope, path: row.path },
        this._settings.requestTimeoutMs
      );
      if (this.isDisposed || generation !== this._generation) {
        return;
      }
      this._model.setRepr(key, { status: 'ready', ...repr });
    } catch (reason) {
      if (this.isDisposed || generation !== this._generation) {
        return;
      }
      const text = this._describe(reason, target).message;
      this._model.setRepr(key, { status: 'error', text, truncated: false });
      throw new Error(text);
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
    this._stopPoll();
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

  /**
   * Work out what should be shown and, when that changed (or `force`), ask
   * for it. Every change of target starts a new generation, so replies to
   * older requests are dropped when they arrive.
   */
  private _sync(force = false): void {
    if (this._isDisposed) {
      return;
    }
    const notebook = this._tracker.currentWidget;
    const target = computeTarget(
      this._debugger,
      notebook,
      notebook !== null && this._running.isRunning(notebook.content),
      this._trans
    );
    const previous = this._target;
    if (!target) {
      this._generation++;
      this._target = null;
      this._stopPoll();
      this._loading = Promise.resolve(null);
      this._model.hasKernel = false;
      this._model.setEmpty(
        this._trans.__(
          'Open a notebook with a running kernel to see its values here.'
        )
      );
      return;
    }
    this._model.hasKernel = true;
    const changed = !previous || previous.key !== target.key;
    if (!changed && !force) {
      return;
    }
    this._generation++;
    this._target = target;
    this._stopPoll();
    if (previous?.kernel !== target.kernel) {
      this._model.clearHistory();
    }
    const bridge = this._bridgeOf(target);
    if (bridge.state === 'unsupported') {
      this._loading = Promise.resolve(null);
      this._model.setUnsupported(this._unsupportedMessage(bridge));
      return;
    }
    if (
      !previous ||
      previous.identity !== target.identity ||
      this._model.status === 'empty' ||
      this._model.status === 'unsupported'
    ) {
      this._model.setLoading(target.mode, target.label);
    }
    if (target.mode === 'live' && !force) {
      // A cell that ends within a moment costs no live request at all.
      this._loading = Promise.resolve(null);
      this._schedulePoll(
        Math.min(VariableValuesService.FIRST_LIVE_POLL_MS, this._pollDelay())
      );
    } else {
      this._loading = this._load(target);
    }
  }

  /** Fetch values for a target; resolves to an error sentence, or null. */
  private async _load(target: ITarget): Promise<string | null> {
    const generation = this._generation;
    const bridge = this._bridgeOf(target);
    const args: IOperations['values']['args'] = {
      scope: target.scope,
      budget_ms: this._settings.callBudgetMs,
      value_budget_ms: this._settings.valueBudgetMs
    };
    let failure: string | null = null;
    try {
      const result = await bridge.request(
        'values',
        args,
        this._settings.requestTimeoutMs
      );
      if (this._isDisposed || generation !== this._generation) {
        return null;
      }
      this._model.setValues(toValues(target, result, this._trans));
      this._refreshChildren(target);
    } catch (reason) {
      if (this._isDisposed || generation !== this._generation) {
        return null;
      }
      const { message, unsupported } = this._describe(reason, target);
      if (unsupported) {
        this._model.setUnsupported(message);
        return message;
      }
      this._model.setError(message);
      failure = message;
    }
    if (target.mode === 'live') {
      // Chained after the reply, so a slow kernel never has polls piling up.
      this._schedulePoll(this._pollDelay());
    }
    return failure;
  }

  /** Reload the children of rows left open, so they match the new values. */
  private _refreshChildren(target: ITarget): void {
    for (const key of this._model.expandedKeys) {
      const row = this._model.rowByKey(key);
      if (row?.expandable) {
        void this._loadChildren(target, key, row);
      }
    }
  }

  private async _loadChildren(
    target: ITarget,
    key: string,
    row: IRow
  ): Promise<string | null> {
    const generation = this._generation;
    try {
      const children = await this._bridgeOf(target).request(
        'children',
        {
          scope: target.scope,
          path: row.path,
          budget_ms: this._settings.callBudgetMs
        },
        this._settings.requestTimeoutMs
      );
      if (
        this._isDisposed ||
        generation !== this._generation ||
        !this._model.children(key)
      ) {
        return null;
      }
      this._model.setChildren(key, {
        status: 'ready',
        rows: children.rows,
        truncated: children.truncated,
        message: ''
      });
      return null;
    } catch (reason) {
      if (
        this._isDisposed ||
        generation !== this._generation ||
        !this._model.children(key)
      ) {
        return null;
      }
      const message = this._describe(reason, target).message;
      this._model.setChildren(key, {
        status: 'error',
        rows: [],
        truncated: false,
        message
      });
      return message;
    }
  }

  private _describe(
    reason: unknown,
    target: ITarget
  ): { message: string; unsupported: boolean } {
    if (reason instanceof ProbeError && reason.kind === 'no-subshells') {
      return {
        message: this._unsupportedMessage(this._bridgeOf(target)),
        unsupported: true
      };
    }
    return { message: describeError(reason, this._trans), unsupported: false };
  }

  private _unsupportedMessage(bridge: VariableValuesService.IBridge): string {
    return this._trans.__(
      bridge.message || 'Live view needs ipykernel 7 or newer.'
    );
  }

  private _bridgeOf(target: ITarget): VariableValuesService.IBridge {
    return this._bridges.bridgeFor(target.kernel);
  }

  private _pollDelay(): number {
    return Math.max(
      VariableValuesService.MIN_REFRESH_INTERVAL_MS,
      this._settings.refreshInterval
    );
  }

  private _schedulePoll(delay: number): void {
    this._stopPoll();
    const generation = this._generation;
    this._pollTimer = setTimeout(() => {
      this._pollTimer = null;
      const target = this._target;
      if (generation === this._generation && target?.mode === 'live') {
        this._loading = this._load(target);
      }
    }, delay);
  }

  private _stopPoll(): void {
    if (this._pollTimer !== null) {
      clearTimeout(this._pollTimer);
      this._pollTimer = null;
    }
  }

  private _onRunningChanged(_: RunningCells, change: RunningCells.IChange): void {
    if (change.notebook !== this._tracker.currentWidget?.content) {
      return;
    }
    // Forced when a cell finished: its last assignments are only in the
    // globals now, even if the target did not change.
    this._sync(!change.running);
  }

  private _onDebuggerChanged(): void {
    this._sync();
  }

  private _onNotebookChanged(): void {
    this._watch(this._tracker.currentWidget?.sessionContext ?? null);
    this._sync();
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
    this._sync();
  }

  private _onKernelStatus(_: ISessionContext, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting' || status === 'dead') {
      // The running cells died with the kernel; they send no "executed".
      this._forgetRunning();
      this._awaitingRestart = true;
      this._sync();
    } else if (status === 'idle' && this._awaitingRestart) {
      // Only after a restart: our own requests also toggle busy/idle, so a
      // refresh on every idle would feed itself.
      this._awaitingRestart = false;
      this._sync(true);
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
  private _bridges: VariableValuesService.IBridges;
  private _model: VariableValuesModel;
  private _settings: VariableValuesService.ISettings;
  private _trans: TranslationBundle;
  private _context: ISessionContext | null = null;
  private _target: ITarget | null = null;
  private _generation = 0;
  private _loading: Promise<string | null> = Promise.resolve(null);
  private _pollTimer: ReturnType<typeof setTimeout> | null = null;
  private _running: RunningCells;
  private _awaitingRestart = false;
  private _isDisposed = false;
}

export namespace VariableValuesService {
  export interface IOptions {
    debugger: IDebugger;
    notebookTracker: INotebookTracker;
    bridges: IBridges;
    model: VariableValuesModel;
    /**
     * When a notebook's cells start and finish: `NotebookActions`'
     * `executionScheduled` and `executed` in the application.
     */
    executions: RunningCells.IExecutions;
    settings?: Partial<ISettings>;
    translator?: ITranslator;
  }

  /** The part of the kernel bridge this service uses. */
  export interface IBridge {
    readonly state: KernelBridge.State;
    readonly message: string;
    request<K extends keyof IOperations>(
      op: K,
      args: IOperations[K]['args'],
      timeoutMs?: number
    ): Promise<IOperations[K]['result']>;
  }

  /** Hands out the bridge of a kernel, as `BridgeRegistry` does. */
  export interface IBridges {
    bridgeFor(kernel: Kernel.IKernelConnection): IBridge;
  }

  export interface ISettings {
    /** Live refresh interval while a cell runs, in ms. */
    refreshInterval: number;
    /** Time budget for one value's summary, in ms. */
    valueBudgetMs: number;
    /** Time budget for one whole probe call, in ms. */
    callBudgetMs: number;
    /** How long to wait for the kernel to answer, in ms. */
    requestTimeoutMs: number;
  }

  export const DEFAULT_SETTINGS: ISettings = {
    refreshInterval: 2000,
    valueBudgetMs: 150,
    callBudgetMs: 1000,
    requestTimeoutMs: 10000
  };

  /** Below this the polls would crowd the kernel whatever the setting says. */
  export const MIN_REFRESH_INTERVAL_MS = 250;

  /** Delay before the first live read of a cell that just started. */
  export const FIRST_LIVE_POLL_MS = 300;
}
