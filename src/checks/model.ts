/**
 * State of the Checks section: the NaN/Inf scan of where the debugger
 * stands, the origin watches' report and gradient health, the last shape
 * error explained, the checked step's findings, and the last data check.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { ShownState } from '../dom/shownState';
import type {
  ICheckedStep,
  IDataDefects,
  INanReport,
  IScan,
  IShapeError
} from '../kernel/checksProtocol';

/**
 * The model of the Checks section.
 */
export class ChecksModel extends ShownState {
  get changed(): ISignal<this, void> {
    return this._changed;
  }



  get status(): ChecksModel.Status {
    return this._status;
  }

  /** Why nothing could be read, else ''. */
  get message(): string {
    return this._message;
  }

  /** Where the checks were read, e.g. "frame train (cell 3, line 12)". */
  get where(): string {
    return this._where;
  }

  get scan(): IScan | null {
    return this._state.scan;
  }

  get report(): INanReport | null {
    return this._state.report;
  }

  get shapeError(): IShapeError | null {
    return this._state.shapeError;
  }

  get checkedStep(): ICheckedStep | null {
    return this._state.checkedStep;
  }

  /** The last data check, with the name of the value checked. */
  get defects(): { label: string; result: IDataDefects } | null {
    return this._defects;
  }

  setLoading(): void {
    this._status = 'loading';
    this._changed.emit();
  }

  /** What one refresh read; a part that failed is null and its reason kept. */
  setChecks(state: ChecksModel.IState, where: string, failures: string[]): void {
    this._state = state;
    this._where = where;
    this._status = 'ready';
    this._message = failures.join(' ');
    this._changed.emit();
  }

  setDefects(label: string, result: IDataDefects): void {
    this._defects = { label, result };
    this._changed.emit();
  }

  setError(message: string): void {
    this._status = 'error';
    this._message = message;
    this._changed.emit();
  }

  private _changed = new Signal<this, void>(this);
  private _status: ChecksModel.Status = 'empty';
  private _message = '';
  private _where = '';
  private _state: ChecksModel.IState = {
    scan: null,
    report: null,
    shapeError: null,
    checkedStep: null
  };
  private _defects: { label: string; result: IDataDefects } | null = null;
}

export namespace ChecksModel {
  export type Status = 'empty' | 'loading' | 'ready' | 'error';

  export interface IState {
    scan: IScan | null;
    report: INanReport | null;
    shapeError: IShapeError | null;
    checkedStep: ICheckedStep | null;
  }
}
