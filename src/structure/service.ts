/**
 * Orchestration of the Type Structure section: asks the probe for the chosen
 * value's structure where the debugger stands (the selected frame when
 * stopped, the running cell when live, the globals when idle), again at every
 * stop and after every cell; while a cell runs, only when asked. No DOM.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import { describeError } from '../errors';
import type { ITarget } from '../live/target';
import { StopFollower } from '../live/stopFollower';
import type { StructureModel } from './model';
import type { IBridgeFinder, IProbeRequester } from '../kernel/requester';

/**
 * Keeps the Type Structure model in step with the debugger.
 */
export class StructureService implements IDisposable {
  constructor(options: StructureService.IOptions) {
    this._bridges = options.bridges;
    this.model = options.model;
    this._timeoutMs = options.timeoutMs ?? 30000;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this._watcher = new StopFollower(options, this._trans, () => this._onStop());
    // A folded section walks nothing; it catches up when it opens.
    this.model.shownChanged.connect((_, shown) => shown && this._onStop(), this);
  }

  readonly model: StructureModel;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Where values are read now, or null without a kernel. */
  current(): ITarget | null {
    return this._watcher.current();
  }

  /** Show a value's structure; resolves once it (or a message) is shown. */
  show(subject: StructureModel.ISubject): Promise<void> {
    this.model.setSubject(subject);
    return this.refresh();
  }

  /** Read the shown value's structure again. */
  refresh(): Promise<void> {
    const subject = this.model.subject;
    if (!subject || this._isDisposed || !this.model.isShown) {
      return Promise.resolve();
    }
    const target = this._watcher.current();
    const generation = ++this._generation;
    if (!target) {
      this.model.setError(
        this._trans.__('Open a notebook with a running kernel to see the structure of its values.')
      );
      return Promise.resolve();
    }
    this.model.setLoading();
    return this._load(generation, target, subject);
  }

  /** Switch recording of forward-pass shapes for the shown model; returns the new state. */
  async setRecording(on: boolean): Promise<boolean> {
    const subject = this.model.subject;
    const target = this._watcher.current();
    if (!subject || !target) {
      throw new Error(this._trans.__('Show the structure of a model first.'));
    }
    const result = await this._bridges
      .bridgeFor(target.kernel)
      .request('record_shapes', { scope: target.scope, target: subject.target, on });
    await this.refresh();
    return result.on;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._watcher.dispose();
    Signal.clearData(this);
  }

  private async _load(
    generation: number,
    target: ITarget,
    subject: StructureModel.ISubject
  ): Promise<void> {
    try {
      const result = await this._bridges
        .bridgeFor(target.kernel)
        .request('structure', { scope: target.scope, target: subject.target }, this._timeoutMs);
      if (this._isDisposed || generation !== this._generation) {
        return;
      }
      this.model.setStructure(result, target.label);
    } catch (reason) {
      if (this._isDisposed || generation !== this._generation) {
        return;
      }
      this.model.setError(describeError(reason, this._trans));
    }
  }

  private _onStop(): void {
    if (this.model.subject) {
      void this.refresh();
    }
  }

  private _bridges: StructureService.IBridges;
  private _timeoutMs: number;
  private _trans: TranslationBundle;
  private _watcher: StopFollower;
  private _generation = 0;
  private _isDisposed = false;
}

export namespace StructureService {
  /** The bridge surface this section uses. */
  export type IBridge = IProbeRequester<'structure' | 'record_shapes'>;

  export type IBridges = IBridgeFinder<IBridge>;

  export interface IOptions extends StopFollower.IOptions {
    bridges: IBridges;
    model: StructureModel;
    translator?: ITranslator;
    timeoutMs?: number;
  }
}
