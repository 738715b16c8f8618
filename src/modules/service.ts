/**
 * Orchestration of the Modules section: reads the kernel's loaded modules
 * (and checks them against a requirements file) when the section is shown,
 * on demand, after the cells of the current notebook have run, and when the
 * kernel changes; never while a cell runs on its own accord (modules rarely
 * change mid-cell), never while folded. No DOM.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type { IOperations } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import { describeError } from '../errors';
import type { RunningCells } from '../live/running';
import { TargetWatcher } from '../live/watcher';
import type { ModulesModel } from './model';
import type { IBridgeFinder, IProbeRequester } from '../kernel/requester';

/**
 * Keeps the Modules model in step with the current notebook's kernel.
 */
export class ModulesService implements IDisposable {
  constructor(options: ModulesService.IOptions) {
    this.model = options.model;
    this._bridges = options.bridges;
    this._timeoutMs = options.requestTimeoutMs ?? ModulesService.DEFAULT_TIMEOUT_MS;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this._watcher = new TargetWatcher({
      debugger: options.debugger,
      notebookTracker: options.notebookTracker,
      executions: options.executions,
      trans: this._trans
    });
    this._watcher.changed.connect(this._onTargetChanged, this);
    this._kernel = this._watcher.current()?.kernel ?? null;
    this.model.shownChanged.connect(this._onShownChanged, this);
  }

  readonly model: ModulesModel;

  /** How long to wait for the kernel's answer, in ms. */
  get requestTimeoutMs(): number {
    return this._timeoutMs;
  }
  set requestTimeoutMs(value: number) {
    this._timeoutMs = value;
  }

  /** The `requirementsFile` setting: checked at every read unless a path was asked for. */
  get requirementsFile(): string {
    return this._settingFile;
  }
  set requirementsFile(value: string) {
    this._settingFile = value.trim();
  }

  /** The requirements file checked at each read: the one last asked for, else the setting. */
  get requirementsPath(): string {
    return this._askedFile ?? this._settingFile;
  }

  /** Read the loaded modules now; the model shows the result or what went wrong. */
  async read(): Promise<void> {
    if (this._isDisposed || !this.model.isShown) {
      return;
    }
    const target = this._watcher.current();
    const generation = ++this._generation;
    if (!target) {
      this.model.setEmpty(
        this._trans.__('Open a notebook with a running kernel to list its loaded modules.')
      );
      return;
    }
    const path = this.requirementsPath;
    const args: IOperations['modules']['args'] = path ? { requirements: path } : {};
    this.model.setLoading();
    try {
      const result = await this._bridges
        .bridgeFor(target.kernel)
        .request('modules', args, this._timeoutMs);
      if (!this._isDisposed && generation === this._generation) {
        this.model.setResult(result);
      }
    } catch (reason) {
      if (!this._isDisposed && generation === this._generation) {
        this.model.setError(this._describe(reason));
      }
    }
  }

  /** Check the loaded modules against `path` from now on ('' stops checking), and read them. */
  checkRequirements(path: string): Promise<void> {
    this._askedFile = path.trim();
    return this.read();
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
    Signal.clearData(this);
  }

  private _describe(reason: unknown): string {
    if (reason instanceof ProbeError) {
      return reason.kind === 'timeout'
        ? this._trans.__(
            'The kernel is busy and did not answer in time; the modules are read again after the cell, or press Refresh.'
          )
        : describeError(reason, this._trans);
    }
    return this._trans.__(
      'Reading the loaded modules failed: %1. Press Refresh; if it keeps failing, restart the kernel.',
      reason instanceof Error ? reason.message : String(reason)
    );
  }

  /**
   * Read again when the kernel changed, or (forced) when the cells of the
   * current notebook finished or the kernel came back from a restart.
   */
  private _onTargetChanged(_: TargetWatcher, change: TargetWatcher.IChange): void {
    const target = this._watcher.current();
    const kernel = target?.kernel ?? null;
    const kernelChanged = kernel !== this._kernel;
    this._kernel = kernel;
    if (kernelChanged) {
      this._generation++;
      this.model.setEmpty();
    }
    if (!this.model.isShown || !target || target.mode === 'live') {
      return;
    }
    if (kernelChanged || change.force) {
      void this.read();
    }
  }

  private _onShownChanged(_: ModulesModel, shown: boolean): void {
    if (shown) {
      void this.read();
    }
  }

  private _bridges: ModulesService.IBridges;
  private _timeoutMs: number;
  private _trans: TranslationBundle;
  private _watcher: TargetWatcher;
  private _kernel: Kernel.IKernelConnection | null;
  private _settingFile = '';
  private _askedFile: string | null = null;
  private _generation = 0;
  private _isDisposed = false;
}

export namespace ModulesService {
  /** The part of the kernel bridge this service uses. */
  export type IBridge = IProbeRequester;

  export type IBridges = IBridgeFinder<IBridge>;

  export interface IOptions {
    debugger: IDebugger;
    notebookTracker: INotebookTracker;
    bridges: IBridges;
    model: ModulesModel;
    /** `NotebookActions.executionScheduled` and `executed` in the application. */
    executions: RunningCells.IExecutions;
    requestTimeoutMs?: number;
    translator?: ITranslator;
  }

  export const DEFAULT_TIMEOUT_MS = 10000;
}
