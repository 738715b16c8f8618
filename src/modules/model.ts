/**
 * State of the Modules section: the kernel's loaded top-level modules with
 * versions and paths, the flags (shadowed, two versions, mismatch, missing),
 * the requirements check, and the name filter the user typed.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { ShownState } from '../dom/shownState';
import type { ILoadedModule, IModuleFlag, IModules } from '../kernel/liveProtocol';

/** The order flags are listed in: what breaks imports first. */
const FLAG_ORDER: IModuleFlag['kind'][] = ['shadowed', 'two-versions', 'mismatch', 'missing'];

/** The flags in the section's order, stable within a kind. */
export function orderFlags(flags: readonly IModuleFlag[]): IModuleFlag[] {
  const rank = (flag: IModuleFlag) => {
    const index = FLAG_ORDER.indexOf(flag.kind);
    return index < 0 ? FLAG_ORDER.length : index;
  };
  return flags
    .map((flag, index) => ({ flag, index }))
    .sort((a, b) => rank(a.flag) - rank(b.flag) || a.index - b.index)
    .map(({ flag }) => flag);
}

/** The modules whose name contains `filter`, ignoring case; all for an empty filter. */
export function filterModules(modules: readonly ILoadedModule[], filter: string): ILoadedModule[] {
  const needle = filter.trim().toLowerCase();
  return needle ? modules.filter(m => m.name.toLowerCase().includes(needle)) : [...modules];
}

/**
 * The model of the Modules section.
 */
export class ModulesModel extends ShownState {
  /** Emitted on any change of what the section shows. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get status(): ModulesModel.Status {
    return this._status;
  }

  /** Why nothing could be read (status "error" or "empty"); else ''. */
  get message(): string {
    return this._message;
  }

  /** The last reply; null before the first and after an error. */
  get result(): IModules | null {
    return this._result;
  }

  /** The flags of the last reply, shadowed first, then two versions, mismatch, missing. */
  get flags(): IModuleFlag[] {
    return this._result ? orderFlags(this._result.flags) : [];
  }

  /** The name filter typed by the user. */
  get filter(): string {
    return this._filter;
  }
  set filter(value: string) {
    if (value !== this._filter) {
      this._filter = value;
      this._changed.emit();
    }
  }

  /** The loaded modules that pass the filter. */
  get visible(): ILoadedModule[] {
    return this._result ? filterModules(this._result.modules, this._filter) : [];
  }

  /** Nothing read; `message` says why when there is a reason. */
  setEmpty(message = ''): void {
    this._status = 'empty';
    this._result = null;
    this._message = message;
    this._changed.emit();
  }

  /** A read is out; a list already shown stays meanwhile. */
  setLoading(): void {
    if (this._status !== 'ready') {
      this._status = 'loading';
      this._message = '';
      this._changed.emit();
    }
  }

  setResult(result: IModules): void {
    this._status = 'ready';
    this._result = result;
    this._message = '';
    this._changed.emit();
  }

  setError(message: string): void {
    this._status = 'error';
    this._result = null;
    this._message = message;
    this._changed.emit();
  }

  private _changed = new Signal<this, void>(this);
  private _status: ModulesModel.Status = 'empty';
  private _message = '';
  private _result: IModules | null = null;
  private _filter = '';
}

export namespace ModulesModel {
  export type Status = 'empty' | 'loading' | 'ready' | 'error';
}
