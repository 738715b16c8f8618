/**
 * What the user opened on a row: its attributes or items, listed below it,
 * its own repr, and its value unmasked when the kernel masked it as a secret.
 * Each is read only when asked, in the scope shown; a reply that arrives
 * after the scope changed is dropped.
 */
import type { IRow } from '../kernel/protocol';
import type { IProbeRequester } from '../kernel/requester';
import type { VariableValuesModel } from './model';
import { rowKey } from './rows';
import type { ITarget } from '../live/target';

/**
 * Loads the children and reprs of rows into the model.
 */
export class RowDetails {
  constructor(options: RowDetails.IOptions) {
    this._model = options.model;
  }

  /** Load the attributes or items of a row; rejects with a sentence for the user. */
  async expand(scope: RowDetails.IScope, row: IRow): Promise<void> {
    const key = rowKey(row.path);
    this._model.setChildren(key, {
      status: 'loading',
      rows: [],
      truncated: false,
      message: ''
    });
    const message = await this._loadChildren(scope, key, row);
    if (message) {
      throw new Error(message);
    }
  }

  /** Hide the attributes or items of a row. */
  collapse(row: IRow): void {
    this._model.collapse(rowKey(row.path));
  }

  /** Reload the children of rows left open, so they match the new values. */
  reloadOpen(scope: RowDetails.IScope): void {
    for (const key of this._model.expandedKeys) {
      const row = this._model.rowByKey(key);
      if (row?.expandable) {
        void this._loadChildren(scope, key, row);
      }
    }
  }

  /**
   * Ask for a row's own repr: the one place the user's code runs, and only
   * because the user asked for it on this row.
   */
  async showRepr(scope: RowDetails.IScope, row: IRow): Promise<void> {
    const key = rowKey(row.path);
    this._model.setRepr(key, { status: 'loading', text: '', truncated: false });
    try {
      // A revealed row's repr is shown unmasked too; any other comes masked as its row.
      const reveal = this._model.revealed(key) !== undefined;
      const repr = await scope.bridge.request(
        'repr',
        { scope: scope.target.scope, path: row.path, ...(reveal ? { reveal } : {}) },
        scope.settings.requestTimeoutMs
      );
      if (!scope.isCurrent()) {
        return;
      }
      this._model.setRepr(key, { status: 'ready', ...repr });
    } catch (reason) {
      if (!scope.isCurrent()) {
        return;
      }
      const text = scope.describe(reason);
      this._model.setRepr(key, { status: 'error', text, truncated: false });
      throw new Error(text);
    }
  }

  /**
   * Ask for a masked row's value, unmasked: the one request that brings it
   * from the kernel, made only because the user asked on this row.
   */
  async reveal(scope: RowDetails.IScope, row: IRow): Promise<void> {
    try {
      const revealed = await scope.bridge.request(
        'reveal',
        { scope: scope.target.scope, target: { path: row.path } },
        scope.settings.requestTimeoutMs
      );
      if (scope.isCurrent()) {
        this._model.setRevealed(rowKey(row.path), revealed.row);
      }
    } catch (reason) {
      if (scope.isCurrent()) {
        throw new Error(scope.describe(reason));
      }
    }
  }

  /** Resolves to the sentence saying why loading failed, or null. */
  private async _loadChildren(
    scope: RowDetails.IScope,
    key: string,
    row: IRow
  ): Promise<string | null> {
    try {
      const children = await scope.bridge.request(
        'children',
        {
          scope: scope.target.scope,
          path: row.path,
          budget_ms: scope.settings.callBudgetMs
        },
        scope.settings.requestTimeoutMs
      );
      // Collapsed meanwhile: the user no longer wants these.
      if (!scope.isCurrent() || !this._model.children(key)) {
        return null;
      }
      this._model.setChildren(key, {
        status: 'ready',
        rows: children.rows,
        truncated: children.truncated,
        message: ''
      });
      return null;
    } catch (reason) {
      if (!scope.isCurrent() || !this._model.children(key)) {
        return null;
      }
      const message = scope.describe(reason);
      this._model.setChildren(key, {
        status: 'error',
        rows: [],
        truncated: false,
        message
      });
      return message;
    }
  }

  private _model: VariableValuesModel;
}

export namespace RowDetails {
  export interface IOptions {
    model: VariableValuesModel;
  }

  /** The part of the kernel bridge the details use. */
  export type IBridge = IProbeRequester<'children' | 'repr' | 'reveal'>;

  /** The budgets a detail is read with; the section's settings carry them. */
  export interface IBudgets {
    /** Time budget for one whole probe call, in ms. */
    callBudgetMs: number;
    /** How long to wait for the kernel to answer, in ms. */
    requestTimeoutMs: number;
  }

  /** Where and how to ask, for the target shown when the user asked. */
  export interface IScope {
    target: ITarget;
    bridge: IBridge;
    settings: IBudgets;
    /** False once the target changed or the service is gone: drop the reply. */
    isCurrent(): boolean;
    /** The sentence for the user about a failed request. */
    describe(reason: unknown): string;
  }
}
