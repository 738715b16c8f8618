/**
 * The crash routes of the ML debugger's server extension, under the
 * server's base URL and its authentication: a kernel's crash reports,
 * dismissing one, and every thread's stack read from outside the kernel.
 * The only code of the view that talks to the server.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ICrashReport, IOutsideStacks } from './reports';
import { decodeCrashReports, decodeOutsideStacks, ReplyShapeError } from './reports';

/** What the view asks of the server. */
export interface ICrashServer {
  /** The kernel's undismissed crash reports, newest first. */
  reports(kernelId: string): Promise<ICrashReport[]>;
  /** Dismiss a report: the server forgets it. */
  dismiss(reportId: string): Promise<void>;
  /** Every thread's stack of the kernel's process, read by py-spy. */
  outsideStacks(kernelId: string): Promise<IOutsideStacks>;
}

/** A request that failed, with a sentence that says what to do. */
export class CrashServerError extends Error {
  constructor(
    message: string,
    /** The HTTP status; 0 when no answer came. */
    readonly status: number
  ) {
    super(message);
  }
}

export class CrashServer implements ICrashServer {
  constructor(options: CrashServer.IOptions) {
    this._settings = options.settings;
    this._trans = options.trans;
  }

  async reports(kernelId: string): Promise<ICrashReport[]> {
    const query = URLExt.objectToQueryString({ kernel: kernelId });
    const reply = await this._json(`crashes${query}`, { method: 'GET' }, CrashServer.TIMEOUT_MS);
    return this._decode(() => decodeCrashReports(reply));
  }

  async dismiss(reportId: string): Promise<void> {
    await this._send(`crashes/${encodeURIComponent(reportId)}`, { method: 'DELETE' }, CrashServer.TIMEOUT_MS);
  }

  async outsideStacks(kernelId: string): Promise<IOutsideStacks> {
    const reply = await this._json(
      `kernels/${encodeURIComponent(kernelId)}/stacks`,
      { method: 'POST', body: '{}' },
      CrashServer.STACKS_TIMEOUT_MS
    );
    return this._decode(() => decodeOutsideStacks(reply));
  }

  /** A reply of another shape says what to do: the server and the page differ. */
  private _decode<T>(decode: () => T): T {
    try {
      return decode();
    } catch (reason) {
      if (reason instanceof ReplyShapeError) {
        throw new CrashServerError(
          this._trans.__(
            'The ML debugger’s server extension sent a malformed %1. Reinstall jupyterlab-ml-debugger so the server and the page are the same version, then restart Jupyter.',
            reason.what
          ),
          200
        );
      }
      throw reason;
    }
  }

  private async _json(path: string, init: RequestInit, timeoutMs: number): Promise<unknown> {
    const response = await this._send(path, init, timeoutMs);
    try {
      return await response.json();
    } catch {
      throw new CrashServerError(
        this._trans.__('The ML debugger’s server extension answered with something other than JSON. Restart Jupyter; if it persists, reinstall jupyterlab-ml-debugger.'),
        response.status
      );
    }
  }

  private async _send(path: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    const url = URLExt.join(this._settings.baseUrl, 'ml-debugger', path);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, { ...init, signal: abort.signal }, this._settings);
    } catch (reason) {
      const detail = reason instanceof Error ? reason.message : String(reason);
      throw new CrashServerError(
        abort.signal.aborted
          ? this._trans.__('The Jupyter server did not answer within %1 s. Check that it is running, then press Refresh.', Math.round(timeoutMs / 1000))
          : this._trans.__('The Jupyter server could not be reached (%1). Check that it is running, then press Refresh.', detail),
        0
      );
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      throw new CrashServerError(await this._failure(response), response.status);
    }
    return response;
  }

  /** The route's own sentence, or why the route is missing. */
  private async _failure(response: Response): Promise<string> {
    let message: string | null = null;
    try {
      const body = (await response.json()) as { message?: unknown };
      message = typeof body.message === 'string' && body.message ? body.message : null;
    } catch {
      // Not our route's JSON: Jupyter's own error page.
    }
    if (message) {
      return message;
    }
    if (response.status === 404) {
      return this._trans.__(
        'The ML debugger’s server extension is not running, so crash reports cannot be read. Run `jupyter server extension enable jupyterlab_ml_debugger`, then restart Jupyter.'
      );
    }
    return this._trans.__('The Jupyter server answered %1 %2. Press Refresh; if it persists, restart Jupyter.', response.status, response.statusText);
  }

  private _settings: ServerConnection.ISettings;
  private _trans: TranslationBundle;
}

export namespace CrashServer {
  export interface IOptions {
    /** The application's server settings (its base URL, token and fetch). */
    settings: ServerConnection.ISettings;
    trans: TranslationBundle;
  }

  /** Reading and dismissing reports: files on the server's disk. */
  export const TIMEOUT_MS = 10000;
  /** py-spy has its own limit on the server; this one covers a server that hangs. */
  export const STACKS_TIMEOUT_MS = 20000;
}
