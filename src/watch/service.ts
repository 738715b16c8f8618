/**
 * Orchestration of the Watch section: evaluates the watch expressions in the
 * frame selected at a stop, in the running cell at each live refresh, and in
 * the globals when idle; loads and saves them with the notebook. No DOM.
 *
 * What to read and when comes from the Variable Values' own pieces: the
 * target watcher (same frame/live/globals rule) and the live reader (poll
 * only while a cell runs, at the refresh interval, one poll at a time).
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import { describeError } from '../errors';
import type { IWatchRow } from '../kernel/protocol';
import type { IBridgeFinder, ILiveRequester } from '../kernel/requester';
import { LiveReader } from '../live/reader';
import type { RunningCells } from '../live/running';
import type { ITarget } from '../live/target';
import { TargetWatcher } from '../live/watcher';
import { splitContract, watchRequest } from './contract';
import type { WatchModel } from './model';
import type { IMetadataHolder } from './persistence';
import { readWatches, writeWatches } from './persistence';

/** The rows of a `watch` reply, and the expressions as the user typed them. */
interface IWatchReply {
  texts: string[];
  rows: IWatchRow[];
}

/**
 * Keeps the Watch model in step with the debugger and the notebook.
 */
export class WatchService implements IDisposable {
  constructor(options: WatchService.IOptions) {
    this._tracker = options.notebookTracker;
    this._bridges = options.bridges;
    this._model = options.model;
    this._settings = { ...WatchService.DEFAULT_SETTINGS, ...options.settings };
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_ml_debugger'
    );
    this._reader = new LiveReader({
      interval: this._settings.refreshInterval,
      shown: this._model,
      request: target => this._request(target),
      show: (reply, target) => this._show(reply, target),
      fail: reason => this._model.setMessage(describeError(reason, this._trans))
    });
    // Before the target watcher's own handler: a new notebook's target is
    // never evaluated with the previous notebook's expressions.
    this._tracker.currentChanged.connect(this._onNotebookChanged, this);
    this._watcher = new TargetWatcher({
      debugger: options.debugger,
      notebookTracker: options.notebookTracker,
      executions: options.executions,
      trans: this._trans
    });
    this._watcher.changed.connect(this._onTargetChanged, this);
    this._model.shownChanged.connect(this._onShownChanged, this);
    this._model.expressionsChanged.connect(this._onExpressionsChanged, this);
    this._onNotebookChanged();
  }

  get model(): WatchModel {
    return this._model;
  }

  /** The interval and timeout in use; setting them re-arms a running poll. */
  get settings(): WatchService.ISettings {
    return this._settings;
  }
  set settings(value: WatchService.ISettings) {
    this._settings = { ...value };
    this._reader.interval = value.refreshInterval;
  }

  /** Evaluate again now; resolves when the values (or a message) are shown. */
  async refresh(): Promise<void> {
    this._sync(true);
    await this._reader.loading;
  }

  /**
   * Ask for a masked watch's value, unmasked: the one request that brings it
   * from the kernel. Rejects with a sentence for the user.
   */
  async reveal(text: string): Promise<void> {
    const target = this._reader.target;
    if (!target) {
      return;
    }
    const isCurrent = this._reader.currentGeneration();
    const { expression } = splitContract(text);
    try {
      const { row, number } = await this._bridges
        .bridgeFor(target.kernel)
        .request('reveal', { scope: target.scope, target: { expression } }, this._settings.requestTimeoutMs);
      if (isCurrent()) {
        this._model.setRevealed(text, { ...row, name: text, number });
      }
    } catch (reason) {
      if (isCurrent()) {
        throw new Error(describeError(reason, this._trans));
      }
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
    this._tracker.currentChanged.disconnect(this._onNotebookChanged, this);
    Signal.clearData(this);
  }

  /**
   * Work out where to evaluate and, when that changed (or `force`), ask.
   * Each change starts a new generation, so older replies are dropped.
   */
  private _sync(force = false): void {
    if (this._isDisposed) {
      return;
    }
    const previous = this._reader.target;
    const target = this._model.isShown ? this._watcher.current() : null;
    if (!target) {
      this._reader.follow(null);
      if (this._model.isShown) {
        this._model.setMessage(
          this._trans.__('Open a notebook with a running kernel to watch expressions.')
        );
      }
      return;
    }
    if (!force && previous?.key === target.key) {
      return;
    }
    this._reader.follow(target);
    if (previous && previous.kernel !== target.kernel) {
      this._model.clearHistory();
    }
    if (this._model.expressions.length === 0) {
      this._model.setRows([], target.label);
      return;
    }
    const bridge = this._bridges.bridgeFor(target.kernel);
    if (target.mode === 'live' && bridge.transport === 'shell') {
      // Without a subshell the running cell holds the only shell.
      this._model.setMessage(this._trans.__(bridge.message || 'Live view needs ipykernel 7 or newer.'));
      return;
    }
    if (target.mode === 'live') {
      this._reader.poll();
    }
    if (target.mode !== 'live' || force) {
      void this._reader.read();
    }
  }

  /** Evaluate the expressions as they are now, which the reply's rows answer in order. */
  private async _request(target: ITarget): Promise<IWatchReply> {
    const texts = [...this._model.expressions];
    const { expressions, contracts } = watchRequest(texts);
    const bridge = this._bridges.bridgeFor(target.kernel);
    const args = { scope: target.scope, expressions, contracts };
    const result = await bridge.request('watch', args, this._settings.requestTimeoutMs);
    return { texts, rows: result.rows };
  }

  private _show(reply: IWatchReply, target: ITarget): void {
    // Rows come back in order, named by the bare expression: the model
    // knows each by the text the user typed, contract included.
    this._model.setRows(
      reply.rows.map((row, i) => ({ ...row, name: reply.texts[i] ?? row.name })),
      target.label
    );
  }

  private _onTargetChanged(_: TargetWatcher, change: TargetWatcher.IChange): void {
    this._sync(change.force);
  }

  private _onShownChanged(): void {
    this._sync();
  }

  private _onExpressionsChanged(_: WatchModel, expressions: readonly string[]): void {
    const holder = this._holderOf(this._tracker.currentWidget);
    if (holder) {
      writeWatches(holder, expressions);
    }
    this._sync(true);
  }

  /** Show the current notebook's saved watches once its model has loaded. */
  private _onNotebookChanged(): void {
    const panel = this._tracker.currentWidget;
    const generation = ++this._notebookGeneration;
    this._model.load([]);
    if (!panel) {
      this._sync();
      return;
    }
    void panel.context.ready.then(() => {
      if (this._isDisposed || generation !== this._notebookGeneration) {
        return;
      }
      const holder = this._holderOf(panel);
      this._model.load(holder ? readWatches(holder) : []);
      this._sync(true);
    });
  }

  private _holderOf(panel: NotebookPanel | null): IMetadataHolder | null {
    return panel?.model ?? null;
  }

  private _tracker: INotebookTracker;
  private _bridges: WatchService.IBridges;
  private _model: WatchModel;
  private _settings: WatchService.ISettings;
  private _trans: TranslationBundle;
  private _reader: LiveReader<ITarget, IWatchReply>;
  private _watcher: TargetWatcher;
  private _notebookGeneration = 0;
  private _isDisposed = false;
}

export namespace WatchService {
  export interface IOptions {
    debugger: IDebugger;
    notebookTracker: INotebookTracker;
    bridges: IBridges;
    model: WatchModel;
    /**
     * When a notebook's cells start and finish: `NotebookActions`'
     * `executionScheduled` and `executed` in the application.
     */
    executions: RunningCells.IExecutions;
    settings?: Partial<ISettings>;
    translator?: ITranslator;
  }

  /** The part of the bridge every section that reads running cells uses. */
  export type IBridges = IBridgeFinder<ILiveRequester>;

  export interface ISettings {
    /** Live refresh interval while a cell runs, in ms. */
    refreshInterval: number;
    /** How long to wait for the kernel to answer, in ms. */
    requestTimeoutMs: number;
  }

  export const DEFAULT_SETTINGS: ISettings = {
    refreshInterval: 2000,
    requestTimeoutMs: 10000
  };
}
