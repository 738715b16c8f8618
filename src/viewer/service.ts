/**
 * What one tensor viewer asks the probe, and when: a slice and a histogram
 * for a tensor or array, a table for a DataFrame or Series; again at every
 * stop and after every cell, and while a cell runs only when asked. No DOM.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import { ProbeError } from '../kernel/protocol';
import { describeError } from '../errors';
import type { ITarget } from '../live/target';
import { StopFollower } from '../live/stopFollower';
import type { ViewerModel } from './model';
import type { IBridgeFinder, IProbeRequester } from '../kernel/requester';

const TABLE_KINDS = ['dataframe', 'series'];

/**
 * Keeps one viewer's model in step with the debugger.
 */
export class ViewerService implements IDisposable {
  constructor(options: ViewerService.IOptions) {
    this.model = options.model;
    this._bridges = options.bridges;
    this._timeoutMs = options.timeoutMs ?? 30000;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this._watcher = new StopFollower(options, this._trans, () => this._onStop());
    this.model.requested.connect(() => void this.refresh(), this);
  }

  readonly model: ViewerModel;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Read the value again; resolves once it (or a message) is shown. */
  async refresh(): Promise<void> {
    const target = this._watcher.current();
    const generation = ++this._generation;
    if (!target) {
      this.model.setError(
        this._trans.__('Open a notebook with a running kernel to view its values.')
      );
      return;
    }
    this.model.setLoading();
    try {
      await this._load(generation, target);
    } catch (reason) {
      if (!this._isDisposed && generation === this._generation) {
        this.model.setError(describeError(reason, this._trans));
      }
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._watcher.dispose();
    Signal.clearData(this);
  }

  private async _load(generation: number, target: ITarget): Promise<void> {
    const bridge = this._bridges.bridgeFor(target.kernel);
    const base = { scope: target.scope, target: this.model.subject.target };
    const kind = this.model.subject.kind;
    const current = () => !this._isDisposed && generation === this._generation;
    if (kind && TABLE_KINDS.includes(kind)) {
      const table = await bridge.request('table', base, this._timeoutMs);
      if (current()) {
        this.model.setTable(table, target.label);
      }
      return;
    }
    let slice;
    try {
      slice = await bridge.request('slice', { ...base, ...this.model.requestArgs() }, this._timeoutMs);
    } catch (reason) {
      // A value of unknown kind that is no tensor may be a DataFrame.
      if (!kind && reason instanceof ProbeError && reason.kind === 'bad-request') {
        const table = await bridge.request('table', base, this._timeoutMs).catch(() => {
          throw reason;
        });
        if (current()) {
          this.model.setTable(table, target.label);
        }
        return;
      }
      throw reason;
    }
    // The histogram is of the whole tensor: a failure there leaves the slice shown.
    const histogram = await bridge
      .request('histogram', base, this._timeoutMs)
      .catch(() => null);
    if (current()) {
      this.model.setSlice(slice, histogram, target.label);
    }
  }

  private _onStop(): void {
    void this.refresh();
  }

  private _bridges: ViewerService.IBridges;
  private _timeoutMs: number;
  private _trans: TranslationBundle;
  private _watcher: StopFollower;
  private _generation = 0;
  private _isDisposed = false;
}

export namespace ViewerService {
  export type IBridge = IProbeRequester<'slice' | 'histogram' | 'table'>;

  export type IBridges = IBridgeFinder<IBridge>;

  export interface IOptions extends StopFollower.IOptions {
    bridges: IBridges;
    model: ViewerModel;
    translator?: ITranslator;
    timeoutMs?: number;
  }
}
