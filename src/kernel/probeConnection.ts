/**
 * The probe's own connection to a kernel, on a subshell of its own when the
 * kernel has subshells. Every request of the probe leaves from it (the
 * subshell's creation and deletion excepted, which go through the notebook's
 * connection and are remembered by id), so the statuses the kernel publishes
 * for them are recognised and kept out of JupyterLab's kernel status (see
 * `StatusShield`), and the boot's execute request is no cell to the
 * notebook's execution indicator. Its kernel_info goes to the subshell, so it
 * is answered while a cell runs.
 */
import type { Kernel } from '@jupyterlab/services';
import { CommsOverSubshells, KernelConnection } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import { ProbeError } from './protocol';
import { StatusShield } from './statusShield';
import { withTimeout } from './timeout';

export class ProbeConnection implements IDisposable {
  constructor(kernel: Kernel.IKernelConnection, timeoutMs: number) {
    this._kernel = kernel;
    this._timeoutMs = timeoutMs;
    this._shield = new StatusShield(
      kernel,
      parent => this._sessions.has(parent.session) || this._ownRequests.has(parent.msg_id)
    );
  }

  /** The open connection; null before `open` and after `drop`. */
  get connection(): Kernel.IKernelConnection | null {
    return this._connection;
  }

  /** The probe's subshell; null without one. */
  get subshellId(): string | null {
    return this._subshellId;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** The connection, opened (with its subshell) if it is not, once its kernel_info is in. */
  async open(): Promise<Kernel.IKernelConnection> {
    if (!this._connection || this._connection.isDisposed) {
      const subshellId = this._kernel.supportsSubshells ? await this._createSubshell() : null;
      this._assertAlive();
      const connection = new KernelConnection({
        model: this._kernel.model,
        serverSettings: this._kernel.serverSettings,
        username: this._kernel.username,
        handleComms: true,
        commsOverSubshells: CommsOverSubshells.Disabled,
        subshellId: subshellId ?? undefined
      });
      this._sessions.add(connection.clientId);
      this._connection = connection;
      this._subshellId = subshellId;
    }
    const connection = this._connection;
    await withTimeout(
      connection.info,
      this._timeoutMs,
      "The kernel did not answer kernel_info on the probe's subshell; is it starting?"
    );
    this._assertAlive();
    return connection;
  }

  /**
   * Close the connection; its subshell is deleted unless the kernel
   * restarted or died (then it is gone already).
   */
  drop(deleteSubshell: boolean): void {
    const connection = this._connection;
    const subshellId = this._subshellId;
    this._connection = null;
    this._subshellId = null;
    connection?.dispose();
    if (!deleteSubshell || subshellId === null || this._kernel.isDisposed) {
      return;
    }
    try {
      const future = this._kernel.requestDeleteSubshell({ subshell_id: subshellId });
      this._ownRequests.add(future.msg.header.msg_id);
      future.done.catch(() => undefined);
    } catch {
      // The kernel connection is closing: the subshell goes with the kernel.
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.drop(this._kernel.status !== 'dead');
    this._shield.dispose();
  }

  /** A new subshell for the probe; its request's statuses are the probe's too. */
  private async _createSubshell(): Promise<string> {
    const future = this._kernel.requestCreateSubshell({});
    this._ownRequests.add(future.msg.header.msg_id);
    const reply = await withTimeout(
      future.done,
      this._timeoutMs,
      'The kernel did not create a subshell for the debugger probe.'
    );
    return reply.content.subshell_id;
  }

  private _assertAlive(): void {
    if (this._isDisposed) {
      throw new ProbeError('disposed', 'This kernel connection was closed.');
    }
  }

  private _kernel: Kernel.IKernelConnection;
  private _timeoutMs: number;
  private _connection: Kernel.IKernelConnection | null = null;
  private _subshellId: string | null = null;
  /** Client ids of every connection opened here: their statuses are the probe's. */
  private _sessions = new Set<string>();
  /** Requests sent on the notebook's own connection (the subshells'). */
  private _ownRequests = new Set<string>();
  private _shield: StatusShield;
  private _isDisposed = false;
}
