/**
 * Keeps the probe's own requests out of JupyterLab's kernel status.
 *
 * The kernel publishes a busy and an idle status for every request, the
 * probe's on its subshell included. JupyterLab takes each of them as the
 * state of the whole kernel, so a poll answered while a cell runs turned the
 * status bar, the execution indicator and the favicon to "Idle" for the rest
 * of the cell. The probe's requests travel on a connection of their own (see
 * `ProbeConnection`), so their statuses are told apart by their parent's
 * session (or id, for the subshell requests). The only knob JupyterLab offers
 * for statuses that say nothing of the kernel is the list of untracked parent
 * message types, so such a status gets the probe's own untracked type before
 * JupyterLab reads it.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';

/** The parent type given to statuses of the probe's requests. */
export const PROBE_REQUEST_TYPE = 'jupyterlab_ml_debugger_request';

const UNTRACKED_OPTION = 'untracked_message_types';

/** Adds the probe's request type to the types whose statuses JupyterLab ignores. */
export function untrackProbeRequests(): void {
  let types: unknown;
  try {
    types = JSON.parse(PageConfig.getOption(UNTRACKED_OPTION) || '[]');
  } catch {
    types = [];
  }
  const list = Array.isArray(types) ? types : [];
  if (!list.includes(PROBE_REQUEST_TYPE)) {
    PageConfig.setOption(UNTRACKED_OPTION, JSON.stringify([...list, PROBE_REQUEST_TYPE]));
  }
}

/**
 * Marks, on one kernel connection, the statuses whose parent request
 * `isProbeRequest` recognises as the probe's.
 */
export class StatusShield implements IDisposable {
  constructor(
    kernel: Kernel.IKernelConnection,
    isProbeRequest: (parent: KernelMessage.IHeader) => boolean
  ) {
    untrackProbeRequests();
    this._kernel = kernel;
    this._isProbeRequest = isProbeRequest;
    // `anyMessage` is emitted as a message arrives, before the connection
    // handles it, so the mark is in place when the status is read.
    kernel.anyMessage.connect(this._onMessage, this);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._kernel.anyMessage.disconnect(this._onMessage, this);
  }

  private _onMessage(_: Kernel.IKernelConnection, args: Kernel.IAnyMessageArgs): void {
    const { msg, direction } = args;
    if (direction !== 'recv' || msg.header.msg_type !== 'status') {
      return;
    }
    // A status of the kernel's own (starting) has an empty parent.
    const parent = msg.parent_header as Partial<KernelMessage.IHeader>;
    if (parent.msg_id !== undefined && this._isProbeRequest(parent as KernelMessage.IHeader)) {
      (parent as { msg_type: string }).msg_type = PROBE_REQUEST_TYPE;
    }
  }

  private _kernel: Kernel.IKernelConnection;
  private _isProbeRequest: (parent: KernelMessage.IHeader) => boolean;
  private _isDisposed = false;
}
