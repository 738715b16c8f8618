/**
 * Breakpoint actions between the notebooks, JupyterLab's debugger and the
 * probe: which notebook cell, file or kernel source a source path belongs
 * to, what the probe must know before a `setBreakpoints` leaves, restoring
 * saved breakpoints into the debugger, and re-sending a cell's breakpoints
 * after an edit of its actions. Files and kernel sources are delegated to
 * `FileBreakpointActions`.
 */
import { Notification } from '@jupyterlab/apputils';
import type { IDebugger } from '@jupyterlab/debugger';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { IActionSpec } from '../kernel/protocol';
import type { IBreakpointActions, IStoredBreakpoint } from './actions';
import { hasActions, NO_ACTIONS, toSpec } from './actions';
import type { BreakpointActionStore } from './model';
import type { SetBreakpointsEnricher } from './enrich';
import type { FileBreakpoints } from './files';
import { FileBreakpointActions, sourcePathOf } from './fileService';
import type { IBreakpointGutterSource } from './gutter';
import { NotebookBreakpoints } from './notebook';

/**
 * Owns the breakpoint store of every open notebook, and composes the
 * breakpoints of files and kernel sources.
 */
export class BreakpointActionsService
  implements SetBreakpointsEnricher.ISource, IBreakpointGutterSource, IDisposable
{
  constructor(options: BreakpointActionsService.IOptions) {
    this._debugger = options.debugger;
    this._bridges = options.bridges;
    this._trans = options.translator.load('jupyterlab_ml_debugger');
    this.files = new FileBreakpointActions(options);
    const model = this.files.model;
    model.store.changed.connect(() => this._changed.emit(model), this);
    model.tracked.connect(() => this._changed.emit(model), this);
    this._debugger.model.breakpoints.restored.connect(this._onRestored, this);
    this._debugger.stopped.connect(this._forgetRestores, this);
  }

  /** The breakpoints of file editors and kernel sources, by path. */
  readonly files: FileBreakpointActions;

  /** Emitted when any notebook's, file's or kernel source's breakpoints changed. */
  get changed(): ISignal<this, NotebookBreakpoints | FileBreakpoints> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Start keeping a notebook's breakpoints; stops when it closes. */
  addNotebook(panel: NotebookPanel): void {
    void panel.context.ready.then(() => {
      if (this._isDisposed || panel.isDisposed || this._notebooks.has(panel)) {
        return;
      }
      const model = panel.context.model;
      const bound = new NotebookBreakpoints({ model });
      this._notebooks.set(panel, bound);
      bound.store.changed.connect(() => this._changed.emit(bound), this);
      panel.disposed.connect(() => {
        this._notebooks.delete(panel);
        bound.dispose();
      });
      this._changed.emit(bound);
    });
  }

  /** The breakpoints of an open notebook. */
  notebook(panel: NotebookPanel): NotebookBreakpoints | undefined {
    return this._notebooks.get(panel);
  }

  /** The notebook that holds a cell, and its panel. */
  findCell(
    cellId: string
  ): { panel: NotebookPanel; notebook: NotebookBreakpoints } | undefined {
    for (const [panel, notebook] of this._notebooks) {
      if (notebook.cell(cellId)) {
        return { panel, notebook };
      }
    }
    return undefined;
  }

  /** The breakpoints of a cell in any open notebook, or of a file's path. */
  breakpointsOf(key: string): readonly IStoredBreakpoint[] {
    return (
      this.findCell(key)?.notebook.store.cell(key) ??
      this.files.model.store.cell(key)
    );
  }

  /** A stored breakpoint by cell and line. */
  breakpointAt(cellId: string, line: number): IStoredBreakpoint | undefined {
    return this.findCell(cellId)?.notebook.store.at(cellId, line);
  }

  /** The validate op on the kernel of a cell's notebook; null without one. */
  validator(cellId: string): BreakpointActionsService.IBridge | null {
    const kernel = this.findCell(cellId)?.panel.sessionContext.session?.kernel;
    return kernel ? this._bridges.bridgeFor(kernel) : null;
  }

  /**
   * Give the breakpoint at a cell's line these actions, adding it when there
   * is none, and re-send the cell's breakpoints so they take effect at once.
   */
  async save(
    cellId: string,
    line: number,
    actions: IBreakpointActions
  ): Promise<void> {
    const found = this.findCell(cellId);
    if (!found) {
      return;
    }
    const store = found.notebook.store;
    store.setActions(store.ensure(cellId, line).id, actions);
    await this.resendCell(cellId);
  }

  /** Make a breakpoint plain again, keeping it. */
  async removeActions(cellId: string, line: number): Promise<void> {
    const found = this.findCell(cellId);
    const breakpoint = found?.notebook.store.at(cellId, line);
    if (!found || !breakpoint) {
      return;
    }
    found.notebook.store.setActions(breakpoint.id, NO_ACTIONS);
    await this.resendCell(cellId);
  }

  /**
   * Send a cell's breakpoints through JupyterLab's debugger, so its gutter
   * and the kernel agree with the store; only to the debugger's own kernel.
   */
  async resendCell(cellId: string): Promise<void> {
    const found = this.findCell(cellId);
    const cell = found?.notebook.cell(cellId);
    if (!found || !cell || !this._isDebuggedKernel(found.panel)) {
      return;
    }
    const breakpoints = found.notebook.store
      .cell(cellId)
      .map(b => ({ line: b.line, verified: true }));
    await this._debugger.updateBreakpoints(
      cell.sharedModel.getSource(),
      breakpoints
    );
  }

  async prepare(
    kernel: Kernel.IKernelConnection,
    args: DebugProtocol.SetBreakpointsArguments
  ): Promise<ReadonlyMap<number, string> | null> {
    const path = args.source.path;
    const notebooks = this._notebooksOn(kernel);
    if (!path) {
      return null;
    }
    let hit: { notebook: NotebookBreakpoints; cellId: string } | null = null;
    for (const notebook of notebooks) {
      const cell = notebook
        .cells()
        .find(c => sourcePathOf(this._debugger, c.sharedModel.getSource()) === path);
      if (cell) {
        hit = { notebook, cellId: cell.id };
        break;
      }
    }
    if (!hit) {
      return this._prepareFile(kernel, notebooks, path, args);
    }
    if (this._restored.has(kernel)) {
      // JupyterLab's gutter is the truth about which lines hold breakpoints;
      // before the saved ones are restored into it, it knows none of them.
      hit.notebook.store.syncLines(
        hit.cellId,
        (args.breakpoints ?? []).map(b => b.line)
      );
    }
    await this._pushSpecs(kernel, notebooks);
    return idsByLine(hit.notebook.store, hit.cellId);
  }

  /** `prepare` for a path that is no cell: a file editor's or a kernel source. */
  private async _prepareFile(
    kernel: Kernel.IKernelConnection,
    notebooks: NotebookBreakpoints[],
    path: string,
    args: DebugProtocol.SetBreakpointsArguments
  ): Promise<ReadonlyMap<number, string> | null> {
    const key = await this.files.keyOf(path);
    if (key === null || this._isDisposed) {
      return null;
    }
    const store = this.files.model.store;
    if (this._restored.has(kernel)) {
      store.syncLines(key, (args.breakpoints ?? []).map(b => b.line));
    }
    await this._pushSpecs(kernel, notebooks);
    return idsByLine(store, key);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    for (const notebook of this._notebooks.values()) {
      notebook.dispose();
    }
    this._notebooks.clear();
    this.files.dispose();
    Signal.clearData(this);
  }

  /** Replace the probe's specs with those of every notebook on the kernel. */
  private async _pushSpecs(
    kernel: Kernel.IKernelConnection,
    notebooks: NotebookBreakpoints[]
  ): Promise<void> {
    // The probe's specs are replaced as a whole: files' go with every push.
    const specs = ([] as IActionSpec[]).concat(
      ...notebooks.map(n => n.store.withActions.map(toSpec)),
      this.files.model.store.withActions.map(toSpec)
    );
    if (!specs.length && !this._hadSpecs.has(kernel)) {
      return;
    }
    try {
      const result = await this._bridges
        .bridgeFor(kernel)
        .request('set_actions', { breakpoints: specs });
      this._hadSpecs.add(kernel);
      const broken = Object.values(result.errors);
      if (broken.length) {
        Notification.warning(
          this._trans.__(
            'A breakpoint action cannot run: %1. Edit the breakpoint to fix it.',
            broken[0]
          ),
          { autoClose: 8000 }
        );
      }
    } catch (reason) {
      Notification.error(
        this._trans.__(
          'Breakpoint actions could not reach the kernel (%1); breakpoints with actions may not stop as set. Restart the kernel, then toggle the debugger off and on.',
          reason instanceof Error ? reason.message : String(reason)
        ),
        { autoClose: 10000 }
      );
    }
  }

  /**
   * After the debugger restored a kernel's breakpoints, add the ones saved in
   * that notebook's metadata, once per debugger start.
   */
  private _onRestored(): void {
    const kernel = this._debugger.session?.connection?.kernel;
    if (!kernel || !this._debugger.isStarted || this._restored.has(kernel)) {
      return;
    }
    this._restored.add(kernel);
    kernel.statusChanged.connect(this._onKernelStatus, this);
    void this._restoreSaved(kernel);
  }

  private async _restoreSaved(kernel: Kernel.IKernelConnection): Promise<void> {
    for (const notebook of this._notebooksOn(kernel)) {
      for (const cell of notebook.cells()) {
        if (!notebook.store.cell(cell.id).length) {
          continue;
        }
        await this.resendCell(cell.id);
        if (this._isDisposed) {
          return;
        }
      }
    }
    await this.files.resendAll();
  }

  private _onKernelStatus(
    kernel: Kernel.IKernelConnection,
    status: Kernel.Status
  ): void {
    if (status === 'restarting' || status === 'autorestarting') {
      // The new process knows no breakpoint and no spec.
      this._restored.delete(kernel);
      this._hadSpecs.delete(kernel);
      kernel.statusChanged.disconnect(this._onKernelStatus, this);
    }
  }

  private _forgetRestores(): void {
    for (const kernel of this._restored) {
      kernel.statusChanged.disconnect(this._onKernelStatus, this);
    }
    this._restored.clear();
  }

  private _notebooksOn(kernel: Kernel.IKernelConnection): NotebookBreakpoints[] {
    return [...this._notebooks]
      .filter(([panel]) => panel.sessionContext.session?.kernel?.id === kernel.id)
      .map(([, notebook]) => notebook);
  }

  private _isDebuggedKernel(panel: NotebookPanel): boolean {
    const debugged = this._debugger.session?.connection?.kernel?.id;
    return (
      this._debugger.isStarted &&
      debugged !== undefined &&
      panel.sessionContext.session?.kernel?.id === debugged
    );
  }

  private _debugger: IDebugger;
  private _bridges: BreakpointActionsService.IBridges;
  private _trans: TranslationBundle;
  private _notebooks = new Map<NotebookPanel, NotebookBreakpoints>();
  private _restored = new Set<Kernel.IKernelConnection>();
  private _hadSpecs = new Set<Kernel.IKernelConnection>();
  private _changed = new Signal<this, NotebookBreakpoints | FileBreakpoints>(
    this
  );
  private _isDisposed = false;
}

export namespace BreakpointActionsService {
  /** The bridge surface breakpoint actions use. */
  export type IBridge = FileBreakpointActions.IBridge;

  /** Hands out the bridge of a kernel. */
  export type IBridges = FileBreakpointActions.IBridges;

  /** Its debugger, bridges and translator, and where file breakpoints are saved. */
  export type IOptions = FileBreakpointActions.IOptions;
}

/** The spec id of each of a cell's or path's breakpoints that has actions, by line. */
function idsByLine(store: BreakpointActionStore, key: string): Map<number, string> {
  const byLine = new Map<number, string>();
  for (const b of store.cell(key)) {
    if (hasActions(b.actions)) {
      byLine.set(b.line, b.id);
    }
  }
  return byLine;
}
