/**
 * State of the Type Structure section: which value it shows, the walk the
 * probe answered, and how the module tree is browsed (expanded paths, search).
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { ShownState } from '../dom/shownState';
import type { IStructure, Target } from '../kernel/structureProtocol';
import type { IVisibleModule } from './tree';
import { defaultExpanded, visibleModules } from './tree';

/**
 * The model of the Type Structure section.
 */
export class StructureModel extends ShownState {
  /** Emitted on any change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The value shown, or null before the user picked one. */
  get subject(): StructureModel.ISubject | null {
    return this._subject;
  }

  get status(): StructureModel.Status {
    return this._status;
  }

  /** The last walk; kept on screen while a fresh one loads. */
  get structure(): IStructure | null {
    return this._structure;
  }

  /** Why there is nothing to show (error or unavailable), else ''. */
  get message(): string {
    return this._message;
  }

  /** Where the structure was read, e.g. "frame train (cell 3, line 12)". */
  get where(): string {
    return this._where;
  }

  get query(): string {
    return this._query;
  }
  set query(value: string) {
    if (value !== this._query) {
      this._query = value;
      this._rows = null;
      this._changed.emit();
    }
  }

  /** The module rows to show, given the expanded paths and the search. */
  get rows(): readonly IVisibleModule[] {
    if (this._rows === null) {
      const modules = this._structure?.modules?.modules ?? [];
      this._rows = visibleModules(modules, this._expanded, this._query);
    }
    return this._rows;
  }

  /** Show a new value: forget the previous one's tree state. */
  setSubject(subject: StructureModel.ISubject): void {
    this._subject = subject;
    this._structure = null;
    this._expanded = new Set();
    this._query = '';
    this._rows = null;
    this._status = 'loading';
    this._message = '';
    this._changed.emit();
  }

  setLoading(): void {
    this._status = 'loading';
    this._changed.emit();
  }

  /** A fresh walk; the expanded paths survive a refresh of the same value. */
  setStructure(structure: IStructure, where: string): void {
    const first = this._structure === null;
    this._structure = structure;
    this._where = where;
    if (first) {
      this._expanded = defaultExpanded(structure.modules?.modules ?? []);
    }
    this._rows = null;
    this._status = 'ready';
    this._message = '';
    this._changed.emit();
  }

  setError(message: string): void {
    this._status = 'error';
    this._message = message;
    this._changed.emit();
  }

  /** Expand or collapse a module's submodules. */
  toggle(path: string): void {
    if (this._expanded.has(path)) {
      this._expanded.delete(path);
    } else {
      this._expanded.add(path);
    }
    this._rows = null;
    this._changed.emit();
  }

  clear(): void {
    this._subject = null;
    this._structure = null;
    this._rows = null;
    this._status = 'empty';
    this._message = '';
    this._changed.emit();
  }

  private _changed = new Signal<this, void>(this);
  private _subject: StructureModel.ISubject | null = null;
  private _status: StructureModel.Status = 'empty';
  private _structure: IStructure | null = null;
  private _message = '';
  private _where = '';
  private _query = '';
  private _expanded = new Set<string>();
  private _rows: IVisibleModule[] | null = null;
}

export namespace StructureModel {
  /** empty: nothing picked; loading; ready; error: the message says why. */
  export type Status = 'empty' | 'loading' | 'ready' | 'error';

  /** The value the user asked about. */
  export interface ISubject {
    /** What the user calls it: a name, a path like `model.fc`, or an expression. */
    label: string;
    target: Target;
  }
}
