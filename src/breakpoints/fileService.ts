/**
 * Breakpoint actions in file editors and in the debugger's kernel-source
 * editors: following open documents, editing a path's breakpoints, and
 * sending them through JupyterLab's debugger.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { IDocumentWidget } from '@jupyterlab/docregistry';
import type { FileEditor } from '@jupyterlab/fileeditor';
import type { IStateDB } from '@jupyterlab/statedb';
import type { ITranslator } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import type { IBreakpointActions, IStoredBreakpoint } from './actions';
import { NO_ACTIONS } from './actions';
import { FileBreakpoints } from './files';
import type { IBridgeFinder, IProbeRequester } from '../kernel/requester';

/**
 * Owns the breakpoints of file editors and kernel sources, keyed by path.
 */
export class FileBreakpointActions implements IDisposable {
  constructor(options: FileBreakpointActions.IOptions) {
    this._debugger = options.debugger;
    this._bridges = options.bridges;
    this.model = new FileBreakpoints({
      state: options.state,
      translator: options.translator
    });
  }

  /** The breakpoints, by path, and the documents they follow. */
  readonly model: FileBreakpoints;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Start following a file editor's document; stops when it closes. */
  addFileEditor(widget: IDocumentWidget<FileEditor>): void {
    void widget.context.ready.then(() => {
      if (this._isDisposed || widget.isDisposed) {
        return;
      }
      const tracked = this.model.trackDocument(
        widget.context.path,
        widget.content.model.sharedModel
      );
      widget.disposed.connect(() => tracked.dispose());
    });
  }

  /** The breakpoint at a file's or kernel source's line, if any. */
  breakpointAt(path: string, line: number): IStoredBreakpoint | undefined {
    return this.model.store.at(path, line);
  }

  /** The validate op on the debugged kernel, which runs files; null without one. */
  validator(): FileBreakpointActions.IBridge | null {
    const kernel = this._debugger.session?.connection?.kernel;
    return kernel ? this._bridges.bridgeFor(kernel) : null;
  }

  /**
   * Give the breakpoint at a file's or kernel source's line these actions,
   * adding it when there is none, and re-send that path's breakpoints.
   */
  async save(path: string, line: number, actions: IBreakpointActions): Promise<void> {
    const store = this.model.store;
    store.setActions(store.ensure(path, line).id, actions);
    await this.resend(path);
  }

  /** Make a file's or kernel source's breakpoint plain again, keeping it. */
  async removeActions(path: string, line: number): Promise<void> {
    const breakpoint = this.model.store.at(path, line);
    if (!breakpoint) {
      return;
    }
    this.model.store.setActions(breakpoint.id, NO_ACTIONS);
    await this.resend(path);
  }

  /**
   * Send a file's or kernel source's breakpoints through JupyterLab's
   * debugger: a file editor's under the path JupyterLab names its text by,
   * a kernel source's under its own path.
   */
  async resend(path: string): Promise<void> {
    if (!this._debugger.isStarted) {
      return;
    }
    const breakpoints = this.model.store
      .cell(path)
      .map(b => ({ line: b.line, verified: true }));
    if (this.model.kindOf(path) === 'source') {
      await this._debugger.updateBreakpoints('', breakpoints, path);
      return;
    }
    const text = this.model.documentText(path);
    if (text !== undefined) {
      await this._debugger.updateBreakpoints(text, breakpoints);
    }
  }

  /** Re-send every path's saved breakpoints, after the debugger restored its own. */
  async resendAll(): Promise<void> {
    await this.model.ready;
    for (const path of this.model.paths()) {
      if (this._isDisposed) {
        return;
      }
      await this.resend(path);
    }
  }

  /**
   * The store's key for a source path, once the saved breakpoints are in:
   * the open file editor whose text JupyterLab names so, else the path
   * itself when it holds breakpoints (a kernel source); null for any other
   * path, a console cell's say.
   */
  async keyOf(path: string): Promise<string | null> {
    await this.model.ready;
    if (this._isDisposed) {
      return null;
    }
    for (const document of this.model.documents()) {
      const text = this.model.documentText(document);
      if (text !== undefined && sourcePathOf(this._debugger, text) === path) {
        return document;
      }
    }
    return this.model.store.cell(path).length ? path : null;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.model.dispose();
  }

  private _debugger: IDebugger;
  private _bridges: FileBreakpointActions.IBridges;
  private _isDisposed = false;
}

export namespace FileBreakpointActions {
  /** The bridge surface breakpoint actions use. */
  export type IBridge = IProbeRequester<'set_actions' | 'validate'>;

  /** Hands out the bridge of a kernel. */
  export type IBridges = IBridgeFinder<IBridge>;

  export interface IOptions {
    debugger: IDebugger;
    bridges: IBridges;
    translator: ITranslator;
    /** Where the breakpoints are saved; without it they last one session. */
    state?: IStateDB | null;
  }
}

/** The source path JupyterLab's debugger names code by; null before it knows how to hash. */
export function sourcePathOf(debug: IDebugger, code: string): string | null {
  try {
    return debug.getCodeId(code);
  } catch {
    // The hash parameters arrive with the first debugInfo: until then no
    // request can name a cell's or file's path either.
    return null;
  }
}
