/**
 * Orchestration of the Checks section: reads the scan, the origin report,
 * the last shape error and the checked step where the debugger stands, at
 * every stop and after every cell (while a cell runs, when asked); installs
 * and removes origin watches, arms a checked step, checks a dataset. No DOM.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type { INanWatch } from '../kernel/checksProtocol';
import type { IOperations } from '../kernel/protocol';
import { CHECKED_MODULE_ALIAS } from '../kernel/protocol';
import type { Target } from '../kernel/structureProtocol';
import { describeError } from '../errors';
import { StopFollower } from '../live/stopFollower';
import type { ITarget } from '../live/target';
import type { ChecksModel } from './model';
import type { IBridgeFinder, IProbeRequester } from '../kernel/requester';

type CheckOp = 'scan' | 'nan_report' | 'explain_error' | 'checked_step_report' | 'nan_watch' | 'data_defects';

/**
 * Keeps the Checks model in step with the debugger.
 */
export class ChecksService implements IDisposable {
  constructor(options: ChecksService.IOptions) {
    this.model = options.model;
    this._debugger = options.debugger;
    this._bridges = options.bridges;
    this._timeoutMs = options.timeoutMs ?? 30000;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this._follower = new StopFollower(options, this._trans, () => void this.refresh());
    options.executions.executed.connect(this._onExecuted, this);
    this.model.shownChanged.connect((_, shown) => {
      if (shown) {
        void this.refresh();
      }
    }, this);
    this._executions = options.executions;
  }

  readonly model: ChecksModel;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Read every check again where the debugger stands. */
  async refresh(): Promise<void> {
    if (!this.model.isShown) {
      return;
    }
    const target = this._follower.current();
    const generation = ++this._generation;
    if (!target) {
      this.model.setError(
        this._trans.__('Open a notebook with a running kernel to check its tensors.')
      );
      return;
    }
    this.model.setLoading();
    const failures: string[] = [];
    const settle = <T>(promise: Promise<T>): Promise<T | null> =>
      promise.catch(reason => {
        failures.push(describeError(reason, this._trans));
        return null;
      });
    let [scan, report, shape, checked] = await Promise.all([
      settle(this._request(target, 'scan', { scope: target.scope })),
      settle(this._request(target, 'nan_report', {})),
      settle(this._request(target, 'explain_error', {})),
      settle(this._request(target, 'checked_step_report', {}))
    ]);
    if (checked?.state === 'armed' && target.mode === 'stopped') {
      // The checked step ends where the next stop is: leave the mode on the
      // user's thread, which only the stopped frame's evaluate reaches.
      // Two refreshes of one stop share a single disarm.
      if (!this._disarming) {
        this._disarming = this._evaluate(`__import__("${CHECKED_MODULE_ALIAS}").disarm()`)
          .catch(() => null)
          .then(() => {
            this._disarming = null;
          });
      }
      await this._disarming;
      checked = await settle(this._request(target, 'checked_step_report', {}));
    }
    if (this._isDisposed || generation !== this._generation) {
      return;
    }
    // The kernel keeps its last exception until the next one: once a cell
    // ran clean after it, it is history, not the state of the notebook.
    const error = shape?.error ?? null;
    this.model.setChecks(
      { scan, report, shapeError: error && error.id !== this._settledError ? error : null, checkedStep: checked },
      target.label,
      [...new Set(failures)]
    );
  }

  /**
   * Watch a model for the first NaN/Inf (or stop watching it); `health`
   * false looks for origins only.
   */
  async watchNonfinite(
    target: Target,
    on: boolean,
    options: { updateRatio?: boolean; health?: boolean } = {}
  ): Promise<INanWatch> {
    const current = this._require();
    const result = await this._request(current, 'nan_watch', {
      scope: current.scope,
      target,
      on,
      ...(options.updateRatio ? { update_ratio: true } : {}),
      ...(options.health === false ? { health: false } : {})
    });
    await this.refresh();
    return result;
  }

  /** Stop the watches the report lists under `label`. */
  async unwatch(label: string): Promise<void> {
    const current = this._require();
    await this._request(current, 'nan_watch', { label, on: false });
    await this.refresh();
  }

  /** Check a DataFrame or array for data defects; `other` is checked for shared rows. */
  async checkData(label: string, target: Target, column?: string, other?: Target): Promise<void> {
    const current = this._require();
    const result = await this._request(current, 'data_defects', {
      scope: current.scope,
      target,
      ...(column ? { label: column } : {}),
      ...(other ? { other } : {})
    });
    this.model.setDefects(label, result);
  }

  /**
   * Run the next step checked: turn the checks on in the stopped thread and
   * continue; they end when `optimizer.step()` returns or at the next stop.
   */
  async runCheckedStep(): Promise<void> {
    if (!this._debugger.isStarted || !this._debugger.model.callstack.frame) {
      throw new Error(
        this._trans.__('Stop at a breakpoint in the training loop first; the checked step runs from there.')
      );
    }
    const armed = await this._evaluate(`__import__("${CHECKED_MODULE_ALIAS}").arm()`);
    if (armed === null) {
      throw new Error(
        this._trans.__('The checked step could not start in this frame; press Refresh in Variable Values to load the probe, then try again.')
      );
    }
    await this._debugger.continue();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._executions.executed.disconnect(this._onExecuted, this);
    this._follower.dispose();
    Signal.clearData(this);
  }

  private _onExecuted(_: unknown, args: { notebook: unknown; success?: boolean }): void {
    const shown = this.model.shapeError;
    if (args.success === true && shown) {
      this._settledError = shown.id;
    }
  }

  private _require(): ITarget {
    const target = this._follower.current();
    if (!target) {
      throw new Error(this._trans.__('Open a notebook with a running kernel first.'));
    }
    return target;
  }

  private _request<K extends CheckOp>(
    target: ITarget,
    op: K,
    args: IOperations[K]['args']
  ): Promise<IOperations[K]['result']> {
    return this._bridges.bridgeFor(target.kernel).request(op, args, this._timeoutMs);
  }

  private async _evaluate(expression: string): Promise<string | null> {
    const reply = await this._debugger.evaluate(expression);
    return reply?.result ?? null;
  }

  private _debugger: IDebugger;
  private _bridges: ChecksService.IBridges;
  private _timeoutMs: number;
  private _trans: TranslationBundle;
  private _follower: StopFollower;
  private _generation = 0;
  private _disarming: Promise<void> | null = null;
  private _settledError: string | null = null;
  private _executions: StopFollower.IOptions['executions'];
  private _isDisposed = false;
}

export namespace ChecksService {
  export type IBridge = IProbeRequester;

  export type IBridges = IBridgeFinder<IBridge>;

  export interface IOptions extends StopFollower.IOptions {
    bridges: IBridges;
    model: ChecksModel;
    translator?: ITranslator;
    timeoutMs?: number;
  }
}
