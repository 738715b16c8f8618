/**
 * Breakpoints outside notebooks: in file editors, keyed by the document's
 * path, and in the debugger's read-only kernel-source editors, keyed by the
 * module's path in the kernel. There is no cell metadata to hold them, so
 * they are saved in JupyterLab's state database.
 */
import type { ISharedText, SourceChange } from '@jupyter/ydoc';
import { Notification } from '@jupyterlab/apputils';
import type { IStateDB } from '@jupyterlab/statedb';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { IStoredBreakpoint } from './actions';
import { readBreakpoints, writeBreakpoints } from './metadata';
import { BreakpointActionStore } from './model';

/** The state database key under which file breakpoints are saved. */
export const FILE_BREAKPOINTS_STATE_KEY = 'jupyterlab-ml-debugger:file-breakpoints';

/**
 * The store of file and kernel-source breakpoints. The store's key (a
 * breakpoint's `cellId`) is the path.
 */
export class FileBreakpoints implements IDisposable {
  constructor(options: FileBreakpoints.IOptions = {}) {
    this._state = options.state ?? null;
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_ml_debugger'
    );
    this.store.changed.connect(this._onStoreChanged, this);
    this.ready = this._load();
  }

  /** The breakpoints, keyed by path. */
  readonly store = new BreakpointActionStore();

  /** Settles once the saved breakpoints are in the store. */
  readonly ready: Promise<void>;

  /** Settles once the last change reached the state database. */
  get saved(): Promise<void> {
    return this._saving;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Every path that holds breakpoints. */
  paths(): string[] {
    return [...new Set(this.store.all.map(b => b.cellId))];
  }

  /** What a path is: an open or once-open file editor's document, or a kernel source. */
  kindOf(path: string): FileBreakpoints.Kind {
    return this._documents.has(path) || this._kinds.get(path) === 'document'
      ? 'document'
      : 'source';
  }

  /** The text of an open file editor's document. */
  documentText(path: string): string | undefined {
    return this._documents.get(path)?.getSource();
  }

  /** The path of an open file editor's document, given its text. */
  pathOf(text: ISharedText): string | undefined {
    return [...this._documents].find(([, t]) => t === text)?.[0];
  }

  /** Emitted with a path when a file editor's document starts or stops being followed. */
  get tracked(): ISignal<this, string> {
    return this._tracked;
  }

  /** The paths of the open file editors' documents. */
  documents(): string[] {
    return [...this._documents.keys()];
  }

  /**
   * Follow an open file editor's document, so its breakpoints move with
   * edits of its text; disposing the result stops.
   */
  trackDocument(path: string, text: ISharedText): IDisposable {
    this._documents.set(path, text);
    this._kinds.set(path, 'document');
    this._sources.set(text, text.getSource());
    text.changed.connect(this._onTextChanged, this);
    this._tracked.emit(path);
    let disposed = false;
    return {
      get isDisposed() {
        return disposed;
      },
      dispose: () => {
        if (disposed) {
          return;
        }
        disposed = true;
        text.changed.disconnect(this._onTextChanged, this);
        this._sources.delete(text);
        if (this._documents.get(path) === text) {
          this._documents.delete(path);
          this._tracked.emit(path);
        }
      }
    };
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    for (const text of this._documents.values()) {
      text.changed.disconnect(this._onTextChanged, this);
    }
    this._documents.clear();
    this.store.dispose();
    Signal.clearData(this);
  }

  private async _load(): Promise<void> {
    if (!this._state) {
      return;
    }
    const saved = await this._state.fetch(FILE_BREAKPOINTS_STATE_KEY);
    if (this._isDisposed || !isObject(saved)) {
      return;
    }
    for (const [path, value] of Object.entries(saved)) {
      // What the user set before the load finished wins over what was saved.
      if (this.store.cell(path).length) {
        continue;
      }
      if (isObject(value) && (value.kind === 'document' || value.kind === 'source')) {
        this._kinds.set(path, value.kind);
      }
      this.store.replaceCell(path, readBreakpoints(value, path));
    }
  }

  private _onTextChanged(text: ISharedText, change: SourceChange): void {
    if (!change.sourceChange) {
      return;
    }
    const old = this._sources.get(text);
    this._sources.set(text, text.getSource());
    const path = this.pathOf(text);
    if (old !== undefined && path !== undefined) {
      this.store.applyEdit(path, old, change.sourceChange);
    }
  }

  private _onStoreChanged(): void {
    if (!this._state) {
      return;
    }
    const value: PartialJSONObject = {};
    for (const path of this.paths()) {
      const saved = writeBreakpoints(
        { kind: this.kindOf(path) },
        this.store.cell(path) as IStoredBreakpoint[]
      );
      if (saved) {
        value[path] = saved;
      }
    }
    const state = this._state;
    // Saves leave in order, so the last one written is the store's state.
    this._saving = this._saving
      .then(() => state.save(FILE_BREAKPOINTS_STATE_KEY, value))
      .catch(reason => {
        Notification.warning(
          this._trans.__(
            'Breakpoints in files could not be saved (%1); they work until JupyterLab is reloaded. Change a breakpoint to try again.',
            reason instanceof Error ? reason.message : String(reason)
          ),
          { autoClose: 8000 }
        );
      });
  }

  private _tracked = new Signal<this, string>(this);
  private _state: IStateDB | null;
  private _trans: TranslationBundle;
  private _documents = new Map<string, ISharedText>();
  private _sources = new Map<ISharedText, string>();
  private _kinds = new Map<string, FileBreakpoints.Kind>();
  private _saving: Promise<void> = Promise.resolve();
  private _isDisposed = false;
}

export namespace FileBreakpoints {
  /** A file editor's document, or a module the debugger showed. */
  export type Kind = 'document' | 'source';

  export interface IOptions {
    /** Where the breakpoints are saved; without it they last one session. */
    state?: IStateDB | null;
    translator?: ITranslator;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
