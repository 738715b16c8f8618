/**
 * Orchestration of the Variable Values section: decides which values to show
 * (a stopped frame, a running cell, or the globals), asks the kernel bridge
 * for them, and fills the model. No DOM.
 *
 * Requests happen on signals (frame selected, cell finished, notebook or
 * kernel switched), on demand, and at the refresh interval while a cell runs;
 * never per output message, so a chatty cell costs no extra round trips.
 * What it listens to is in watcher.ts, when to send and which replies still
 * count in reader.ts, and the rows the user opened in details.ts; this file
 * decides and fills the model.
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
import { LiveReader } from '../live/reader';
import type { RunningCells } from '../live/running';
import type { ITarget } from '../live/target';
import { TargetWatcher } from '../live/watcher';
import { RowDetails } from './details';
import { toValues } from './groups';
import type { VariableValuesModel } from './model';

/** A `values` reply, and whether it was asked grouped by scope. */
interface IValuesReply {
  result: IOperations['values']['result'];
  grouped: boolean;
}

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
    this._reader = new LiveReader({
      interval: this._settings.refreshInterval,
      shown: this._model,
      request: target => this._request(target),
      show: (reply, target) => this._show(reply, target),
      fail: (reason, target) => this._fail(reason, target)
    });
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
    // The setting is the default; the toggle command overrides it until it changes.
    if (value.groupByScope !== this._settings.groupByScope) {
      this._model.groupByScope = value.groupByScope;
    }
    this._settings = { ...value };
    this._reader.interval = value.refreshInterval;
  }

  /**
   * Read the values again now. Rejects with a sentence for the user when the
   * kernel could not answer; a reply overtaken by a newer request is no error.
   */
  async refresh(): Promise<void> {
    this._sync(true);
    const message = await this._reader.loading;
    if (message) {
      throw new Error(message);
    }
  }

  /** Load the attributes or items of a row, shown below it. */
  async expand(row: IRow): Promise<void> {
    const target = this._reader.target;
    if (target) {
      await this._details.expand(this._scope(target), row);
    }
  }

  /** Hide the attributes or items of a row. */
  collapse(row: IRow): void {
    this._details.collapse(row);
  }

  /** Ask for a masked row's value, unmasked; rejects with a sentence for the user. */
  async reveal(row: IRow): Promise<void> {
    const target = this._reader.target;
    if (target) {
      await this._details.reveal(this._scope(target), row);
    }
  }

  /** Ask for a row's own repr; rejects with a sentence for the user. */
  async showRepr(row: IRow): Promise<void> {
    const target = this._reader.target;
    if (target) {
      await this._details.showRepr(this._scope(target), row);
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
    this._reader.dispose();
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
      this._reader.follow(null);
      return;
    }
    const target = this._watcher.current();
    const previous = this._reader.target;
    if (!target) {
      this._reader.follow(null);
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
    this._reader.follow(target);
    if (previous?.kernel !== target.kernel) {
      this._model.clearHistory();
    }
    const bridge = this._bridgeOf(target);
    // Without a subshell a running cell holds the only shell: no live view.
    const noLive = target.mode === 'live' && bridge.transport === 'shell';
    if (bridge.state === 'unsupported' || noLive) {
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
    if (target.mode === 'live') {
      // A cell that ends within a moment costs no live request at all.
      this._reader.poll();
    }
    if (target.mode !== 'live' || force) {
      void this._reader.read();
    }
  }

  private async _request(target: ITarget): Promise<IValuesReply> {
    const grouped = this._model.groupByScope;
    const args: IOperations['values']['args'] = {
      scope: target.scope,
      budget_ms: this._settings.callBudgetMs,
      value_budget_ms: this._settings.valueBudgetMs,
      ...(grouped ? { group: 'scope' as const } : {})
    };
    const result = await this._bridgeOf(target).request(
      'values',
      args,
      this._settings.requestTimeoutMs
    );
    return { result, grouped };
  }

  /** Show the values; no error, so null. */
  private _show(reply: IValuesReply, target: ITarget): null {
    this._model.setValues(toValues(target, reply.result, this._trans, reply.grouped));
    this._details.reloadOpen(this._scope(target));
    return null;
  }

  /** Show why the values could not be read, and return it for `refresh`. */
  private _fail(reason: unknown, target: ITarget): string {
    const { message, unsupported } = this._describe(reason, target);
    if (unsupported) {
      // The kernel cannot answer while a cell runs: polling it again is no use.
      this._reader.pause();
      this._model.setUnsupported(message);
    } else {
      this._model.setError(message);
    }
    return message;
  }

  /**
   * Where row details for a target are asked, as of now: replies are stale
   * once the generation moves on.
   */
  private _scope(target: ITarget): RowDetails.IScope {
    return {
      target,
      bridge: this._bridgeOf(target),
      settings: this._settings,
      isCurrent: this._reader.currentGeneration(),
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

  private _onTargetChanged(_: TargetWatcher, change: TargetWatcher.IChange): void {
    this._sync(change.force);
  }

  private _onShownChanged(): void {
    this._sync();
  }

  /** Grouped and plain replies differ (a grouped frame lists its globals): read again. */
  private _onGroupingChanged(): void {
    if (this._reader.target) {
      this._sync(true);
    }
  }

  private _bridges: VariableValuesService.IBridges;
  private _model: VariableValuesModel;
  private _details: RowDetails;
  private _settings: VariableValuesService.ISettings;
  private _trans: TranslationBundle;
  private _reader: LiveReader<ITarget, IValuesReply, string | null>;
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
