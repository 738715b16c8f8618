/**
 * What the Crash and Hang view reads from the server extension for the
 * model's kernel: its crash reports, at once and again for a few seconds
 * after a death (the server writes a report within two), dismissing one,
 * and the stacks read from outside the kernel. A reply about a kernel no
 * longer shown is dropped. No DOM.
 */
import type { IDisposable } from '@lumino/disposable';
import type { CrashModel } from './model';
import type { ICrashServer } from './server';

export class ServerReads implements IDisposable {
  constructor(options: ServerReads.IOptions) {
    this._model = options.model;
    this._server = options.server;
    this._retries = options.retryAfterDeathMs;
  }

  /** Dismiss the report shown; the server forgets it. Throws a sentence when it cannot. */
  async dismiss(): Promise<void> {
    const report = this._model.report;
    if (!report || this._model.dismissing !== null) {
      return;
    }
    this._model.setDismissing(report.id);
    try {
      await this._server.dismiss(report.id);
    } catch (reason) {
      this._model.setDismissing(null);
      throw reason;
    }
    if (this._model.report?.id === report.id) {
      this._model.setReports(this._model.reports.filter(r => r.id !== report.id));
    }
    await this.read();
  }

  /** Read every thread's stack of the kernel's process from outside it (py-spy). */
  async readOutside(): Promise<void> {
    const kernelId = this._model.kernelId;
    if (kernelId === null || this._model.outsideLoading) {
      return;
    }
    this._model.setOutsideLoading();
    try {
      const stacks = await this._server.outsideStacks(kernelId);
      if (this._model.kernelId === kernelId) {
        this._model.setOutside(stacks);
      }
    } catch (reason) {
      if (this._model.kernelId === kernelId) {
        this._model.setOutsideError(reason instanceof Error ? reason.message : String(reason));
      }
    }
  }

  /** Read the kernel's reports; true when one not seen before came. */
  async read(): Promise<boolean> {
    const kernelId = this._model.kernelId;
    if (kernelId === null) {
      return false;
    }
    if (!this._model.report) {
      this._model.setReportsLoading();
    }
    const before = new Set(this._model.reports.map(r => r.id));
    try {
      const reports = await this._server.reports(kernelId);
      if (this._isDisposed || this._model.kernelId !== kernelId) {
        return false;
      }
      this._model.setReports(reports);
      return reports.some(r => !before.has(r.id));
    } catch (reason) {
      if (!this._isDisposed && this._model.kernelId === kernelId) {
        this._model.setReportsError(reason instanceof Error ? reason.message : String(reason));
      }
      return false;
    }
  }

  /**
   * The kernel died or restarts: read its reports at once and again at the
   * retry times (ms since the death) until a new report is there.
   */
  async readAfterDeath(): Promise<void> {
    const generation = ++this._generation;
    const start = Date.now();
    for (const at of this._retries) {
      const wait = at - (Date.now() - start);
      if (wait > 0) {
        await new Promise(resolve => setTimeout(resolve, wait));
      }
      if (generation !== this._generation || this._isDisposed) {
        return;
      }
      if (await this.read()) {
        return;
      }
    }
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    this._isDisposed = true;
    this._generation++;
  }

  private _model: CrashModel;
  private _server: ICrashServer;
  private _retries: readonly number[];
  private _generation = 0;
  private _isDisposed = false;
}

export namespace ServerReads {
  export interface IOptions {
    model: CrashModel;
    server: ICrashServer;
    /** When to read the reports after a death, in ms since it. */
    retryAfterDeathMs: readonly number[];
  }
}
