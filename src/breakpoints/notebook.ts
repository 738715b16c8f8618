/**
 * Keeps one notebook's breakpoint store in step with its cells: read from and
 * written to each cell's metadata, moved with edits of each cell's text, and
 * dropped with a deleted cell.
 */
import type { ICellModel } from '@jupyterlab/cells';
import type { INotebookModel } from '@jupyterlab/notebook';
import type { CellChange, ISharedCell, IMapChange } from '@jupyter/ydoc';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import { METADATA_KEY, readBreakpoints, writeBreakpoints } from './metadata';
import { BreakpointActionStore } from './model';

/**
 * The store of one notebook model, bound to its cells.
 */
export class NotebookBreakpoints implements IDisposable {
  constructor(options: NotebookBreakpoints.IOptions) {
    this._model = options.model;
    this.store.changed.connect(this._onStoreChanged, this);
    for (let i = 0; i < this._model.cells.length; i++) {
      this._track(this._model.cells.get(i));
    }
    this._model.cells.changed.connect(this._onCellsChanged, this);
  }

  /** The breakpoints of this notebook. */
  readonly store = new BreakpointActionStore();

  /** The notebook model. */
  get model(): INotebookModel {
    return this._model;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** A cell of this notebook by id. */
  cell(cellId: string): ICellModel | undefined {
    for (let i = 0; i < this._model.cells.length; i++) {
      const cell = this._model.cells.get(i);
      if (cell.id === cellId) {
        return cell;
      }
    }
    return undefined;
  }

  /** Every cell of this notebook. */
  cells(): ICellModel[] {
    const out: ICellModel[] = [];
    for (let i = 0; i < this._model.cells.length; i++) {
      out.push(this._model.cells.get(i));
    }
    return out;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    for (const [cell, shared] of this._tracked) {
      shared.changed.disconnect(this._onSourceChanged, this);
      cell.metadataChanged.disconnect(this._onMetadataChanged, this);
    }
    this._tracked.clear();
    this.store.dispose();
    Signal.clearData(this);
  }

  private _track(cell: ICellModel): void {
    if (this._tracked.has(cell)) {
      return;
    }
    const shared = cell.sharedModel;
    this._tracked.set(cell, shared);
    this._sources.set(cell.id, shared.getSource());
    shared.changed.connect(this._onSourceChanged, this);
    cell.metadataChanged.connect(this._onMetadataChanged, this);
    this.store.replaceCell(
      cell.id,
      readBreakpoints(cell.getMetadata(METADATA_KEY), cell.id)
    );
  }

  private _untrack(cell: ICellModel): void {
    const shared = this._tracked.get(cell);
    if (shared) {
      shared.changed.disconnect(this._onSourceChanged, this);
      cell.metadataChanged.disconnect(this._onMetadataChanged, this);
      this._tracked.delete(cell);
    }
  }

  /**
   * The cell list says where cells went but not which were removed: compare
   * with the cells now there. A moved cell comes back as a new model with
   * the same id and metadata, so its breakpoints stay.
   */
  private _onCellsChanged(): void {
    const present = this.cells();
    const models = new Set(present);
    for (const cell of [...this._tracked.keys()]) {
      if (!models.has(cell)) {
        this._untrack(cell);
      }
    }
    for (const cell of present) {
      this._track(cell);
    }
    const ids = new Set(present.map(c => c.id));
    for (const id of new Set(this.store.all.map(b => b.cellId))) {
      if (!ids.has(id)) {
        this._sources.delete(id);
        this.store.removeCell(id);
      }
    }
  }

  private _onSourceChanged(shared: ISharedCell, change: CellChange): void {
    if (!change.sourceChange) {
      return;
    }
    const id = shared.getId();
    const old = this._sources.get(id);
    this._sources.set(id, shared.getSource());
    if (old !== undefined) {
      this.store.applyEdit(id, old, change.sourceChange);
    }
  }

  private _onMetadataChanged(cell: ICellModel, change: IMapChange): void {
    if (change.key !== METADATA_KEY || this._writing) {
      return;
    }
    // The user edited the metadata by hand: it is what they want now.
    this.store.replaceCell(
      cell.id,
      readBreakpoints(cell.getMetadata(METADATA_KEY), cell.id)
    );
  }

  private _onStoreChanged(
    _: BreakpointActionStore,
    change: BreakpointActionStore.IChange
  ): void {
    for (const cellId of change.cellIds) {
      const cell = this.cell(cellId);
      if (!cell) {
        continue;
      }
      const previous = cell.getMetadata(METADATA_KEY);
      const next = writeBreakpoints(previous, this.store.cell(cellId));
      if (JSON.stringify(next) === JSON.stringify(previous)) {
        continue;
      }
      this._writing = true;
      try {
        if (next === undefined) {
          cell.deleteMetadata(METADATA_KEY);
        } else {
          cell.setMetadata(METADATA_KEY, next);
        }
      } finally {
        this._writing = false;
      }
    }
  }

  private _model: INotebookModel;
  private _tracked = new Map<ICellModel, ISharedCell>();
  private _sources = new Map<string, string>();
  private _writing = false;
  private _isDisposed = false;
}

export namespace NotebookBreakpoints {
  export interface IOptions {
    /** The notebook model whose cells hold the breakpoints. */
    model: INotebookModel;
  }
}
