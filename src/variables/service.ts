/**
 * Orchestration of the Variable Values section: decides which values to show
 * (a stopped frame, a running cell, or the globals), asks the kernel bridge
 * for them, and fills the model. No DOM.
 *
 * Requests happen on signals (frame selected, cell finished, notebook or
 * kernel switched), on demand, and at the refresh interval while a cell runs;
 * never per output message, so a chatty cell costs no extra round trips.
 * What it listens to is in watcher.ts, the live timer in poller.ts, and the
 * rows the user opened in details.ts; this file decides and fills the model.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import { describeError } from '../errors';
import type { IOperations, IRow } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import type { IBridgeFinder, ILiveRequester } from '../kernel/requester';
import { LivePoller } from '../live/poller';
import type { RunningCells } from '../live/running';
import type { ITarget } from '../live/target';
import { TargetWatcher } from '../live/watcher';
import { RowDetails } from './details';
import { toValues } from './groups';
import type { VariableValuesModel } from './model';

/**
 * Keeps the Variable Values model in step with the debugger and the notebook.
 */
export class VariableValuesService implements IDisposable {
  constructor(options: VariableValuesService.IOptions) {
    this._bridges = options.bridges;
    this._model = options.model;
    this._details = new RowDetails({ model: options.model });
    this._settings = { ...VariableValuesService.DEFAULT_SETTINGS, ...options.settings };
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_ml_debugger'
    );
    this._poller = new LivePoller({
      interval: this._settings.refreshInterval
    });
    this._poller.due.connect(this._onPollDue, this);
    this._watcher = new TargetWatcher({
      debugger: options.debugger,
      notebookTracker: options.notebookTracker,
      executions: options.executions,
      trans: this._trans
    });
    this._watcher.changed.connect(this._onTargetChanged, this);
    this._model.groupByScope = this._settings.groupByScope;
    this._model.shownChanged.connect(this._onShownChanged, this);
    this._model.groupingChanged.connect(this._onGroupingChanged, this);
    this._sync();
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
    // The setting is the default; the toggle command overrides it until it changes.
    if (value.groupByScope !== this._settings.groupByScope) {
      this._model.groupByScope = value.groupByScope;
    }
    this._settings = { ...value };
    this._poller.interval = value.refreshInterval;
    if (this._target?.mode === 'live' && old !== value.refreshInterval) {
      this._poller.schedule();
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
    if (this._target) {
      await this._details.expand(this._scope(this._target), row);
    }
  }

  /** Hide the attributes or items of a row. */
  collapse(row: IRow): void {
    this._details.collapse(row);
  }

  /** Ask for a row's own repr; rejects with a sentence for the user. */
  async showRepr(row: IRow): Promise<void> {
    if (this._target) {
      await this._details.showRepr(this._scope(this._target), row);
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
    this._poller.dispose();
    this._watcher.dispose();
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
    if (!this._model.isShown) {
      // Forget the target: showing the section again loads it afresh.
      this._generation++;
      this._target = null;
      this._poller.stop();
      this._loading = Promise.resolve(null);
      return;
    }
    const target = this._watcher.current();
    const previous = this._target;
    if (!target) {
      this._generation++;
      this._target = null;
      this._poller.stop();
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
    this._poller.stop();
    if (previous?.kernel !== target.kernel) {
      this._model.clearHistory();
    }
    const bridge = this._bridgeOf(target);
    // Without a subshell a running cell holds the only shell: no live view.
    const noLive = target.mode === 'live' && bridge.transport === 'shell';
    if (bridge.state === 'unsupported' || noLive) {
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
      this._poller.scheduleFirst();
    } else {
      this._loading = this._load(target);
    }
  }

  /** Fetch values for a target; resolves to an error sentence, or null. */
  private async _load(target: ITarget): Promise<string | null> {
    const generation = this._generation;
    const bridge = this._bridgeOf(target);
    const grouped = this._model.groupByScope;
    const args: IOperations['values']['args'] = {
      scope: target.scope,
      budget_ms: this._settings.callBudgetMs,
      value_budget_ms: this._settings.valueBudgetMs,
      ...(grouped ? { group: 'scope' as const } : {})
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
      this._model.setValues(toValues(target, result, this._trans, grouped));
      this._details.reloadOpen(this._scope(target));
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
      this._poller.schedule();
    }
    return failure;
  }

  /**
   * Where row details for a target are asked, as of now: replies are stale
   * once the generation moves on.
   */
  private _scope(target: ITarget): RowDetails.IScope {
    const generation = this._generation;
    return {
      target,
      bridge: this._bridgeOf(target),
      settings: this._settings,
      isCurrent: () => !this._isDisposed && generation === this._generation,
      describe: reason => this._describe(reason, target).message
    };
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

  /**
   * A live poll came due. The poller is stopped on every change of target,
   * so the poll is for the target shown; it reads only while a cell runs.
   */
  private _onPollDue(): void {
    const target = this._target;
    if (target?.mode === 'live') {
      this._loading = this._load(target);
    }
  }

  private _onTargetChanged(_: TargetWatcher, change: TargetWatcher.IChange): void {
    this._sync(change.force);
  }

  private _onShownChanged(): void {
    this._sync();
  }

  /** Grouped and plain replies differ (a grouped frame lists its globals): read again. */
  private _onGroupingChanged(): void {
    if (this._target) {
      this._sync(true);
    }
  }

  private _bridges: VariableValuesService.IBridges;
  private _model: VariableValuesModel;
  private _details: RowDetails;
  private _settings: VariableValuesService.ISettings;
  private _trans: TranslationBundle;
  private _target: ITarget | null = null;
  private _generation = 0;
  private _loading: Promise<string | null> = Promise.resolve(null);
  private _poller: LivePoller;
  private _watcher: TargetWatcher;
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
  export type IBridge = ILiveRequester;

  /** Hands out the bridge of a kernel, as `BridgeRegistry` does. */
  export type IBridges = IBridgeFinder<IBridge>;

  /** The section's settings; the call budget and request timeout are `RowDetails.IBudgets`. */
  export interface ISettings extends RowDetails.IBudgets {
    /** Live refresh interval while a cell runs, in ms. */
    refreshInterval: number;
    /** Time budget for one value's summary, in ms. */
    valueBudgetMs: number;
    /** Whether rows start grouped by scope (Local, Enclosing, Global). */
    groupByScope: boolean;
  }

  export const DEFAULT_SETTINGS: ISettings = {
    refreshInterval: 2000,
    valueBudgetMs: 150,
    callBudgetMs: 1000,
    requestTimeoutMs: 10000,
    groupByScope: false
  };
}
