/**
 * The kernel bridge: the only code that talks to a kernel.
 *
 * One transport for every state: a comm registered by the probe and carried on
 * a kernel subshell, so requests are answered while a cell runs and while the
 * debugger holds the main thread at a breakpoint, without queueing on the
 * control channel (where JupyterLab's own scopes/variables requests and
 * Continue wait).
 *
 * Kernels without subshells (ipykernel < 7) get the fallback: the same comm on
 * the main shell while the kernel is idle, and DAP `evaluate` in the selected
 * frame while the debugger is stopped. No live view there.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { CommsOverSubshells } from '@jupyterlab/services';
import type { JSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { IHello, IOperations, IRequest, Operation, OperationCall } from './protocol';
import { COMM_TARGET, encodeRequest, ProbeError } from './protocol';
import { decodeReply } from './decode';
import { decodeResult } from './decoders';
import { bootOnShell } from './bootstrap';
import { evaluateRequest } from './evaluate';
import { Outbox } from './outbox';
import { PendingRequests } from './pending';
import { DebuggerTraffic } from './debuggerTraffic';
import { ProbeConnection } from './probeConnection';
import { requestShapeError } from './requestShape';
import { withTimeout } from './timeout';

/**
 * Requests JupyterLab's own debugger requests wait for (the breakpoint
 * actions ride its setBreakpoints): they never wait for the debugger.
 */
const AWAITED_BY_THE_DEBUGGER: ReadonlySet<Operation> = new Set<Operation>(['set_actions']);

/**
 * A connection to the probe in one kernel.
 */
export class KernelBridge implements IDisposable {
  constructor(options: KernelBridge.IOptions) {
    this._kernel = options.kernel;
    this._timeoutMs = options.timeoutMs ?? KernelBridge.DEFAULT_TIMEOUT_MS;
    this._stoppedFrame = options.stoppedFrame ?? (() => null);
    this._setup = options.setup ?? (() => []);
    this._kernel.statusChanged.connect(this._onKernelStatus, this);
    this._kernel.disposed.connect(this.dispose, this);
    this._probe = new ProbeConnection(this._kernel, this._timeoutMs);
    this._traffic = new DebuggerTraffic(this._kernel);
  }

  /** The kernel this bridge talks to. */
  get kernel(): Kernel.IKernelConnection {
    return this._kernel;
  }

  /**
   * The probe's own connection to the kernel, over which every request of
   * the probe travels; null until the first connect.
   */
  get connection(): Kernel.IKernelConnection | null {
    return this._probe.connection;
  }

  /** Where the connection stands. */
  get state(): KernelBridge.State {
    return this._state;
  }

  /** Emitted when `state` changes. */
  get stateChanged(): ISignal<this, KernelBridge.State> {
    return this._stateChanged;
  }

  /** What the probe said when it connected; null before. */
  get hello(): IHello | null {
    return this._hello;
  }

  /** Why the bridge is unsupported or failed, or what its transport cannot do; else empty. */
  get message(): string {
    return this._message;
  }

  /**
   * Whether requests really ride a subshell, so they are answered while a
   * cell runs: only then may the UI call a view "live".
   */
  get isLive(): boolean {
    return this._state === 'ready' && this._probe.subshellId !== null;
  }

  /**
   * How requests travel: on a subshell, or (kernels without subshells) on
   * the main shell when idle and through the debugger when stopped.
   */
  get transport(): KernelBridge.Transport {
    return this._kernel.supportsSubshells ? 'subshell' : 'shell';
  }

  get isDisposed(): boolean {
    return this._state === 'disposed';
  }

  /** Load the probe and open its comm; resolves at once when connected. */
  connect(): Promise<IHello> {
    if (this.isDisposed) {
      return Promise.reject(
        new ProbeError('disposed', 'This kernel connection was closed.')
      );
    }
    if (!this._connecting) {
      this._connecting = this._connect();
      this._connecting.catch(() => {
        this._connecting = null;
      });
    }
    return this._connecting;
  }

  /** Send one request to the probe and decode its reply. */
  async request<K extends Operation>(
    op: K,
    args: IOperations[K]['args'],
    timeoutMs?: number
  ): Promise<IOperations[K]['result']> {
    const ms = timeoutMs ?? this._timeoutMs;
    const unsendable = requestShapeError(args);
    if (unsendable !== null) {
      throw new ProbeError('bad-request', unsendable);
    }
    await this._kernel.info;
    if (!AWAITED_BY_THE_DEBUGGER.has(op)) {
      await this._traffic.quiet();
    }
    const frameId = this._stoppedFrame(this._kernel);
    if (this.transport === 'shell' && frameId !== null) {
      return this._evaluate(op, args, frameId, ms);
    }
    await this.connect();
    return this._send(op, args, ms);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._outbox.clear();
    this._pending.rejectAll(new ProbeError('disposed', 'This kernel connection was closed.'));
    const comm = this._comm;
    this._comm = null;
    if (comm && !comm.isDisposed && this._kernel.status !== 'dead') {
      try {
        comm.close();
      } catch {
        // The kernel went away first: there is nothing left to close.
        comm.dispose();
      }
    }
    this._probe.dispose();
    this._traffic.dispose();
    this._setState('disposed');
    Signal.clearData(this);
  }

  private async _connect(): Promise<IHello> {
    this._setState('connecting');
    const kernel = this._kernel;
    await withTimeout(
      kernel.info,
      this._timeoutMs,
      'The kernel did not answer kernel_info; is it starting?'
    );
    if (this.isDisposed) {
      throw new ProbeError('disposed', 'This kernel connection was closed.');
    }
    try {
      const connection = await this._probe.open();
      const comm = connection.createComm(COMM_TARGET);
      // The comm rides its connection's own subshell (none without subshells),
      // whatever the user's global comms-over-subshells setting is.
      comm.commsOverSubshells = CommsOverSubshells.Disabled;
      if (this._probe.subshellId === null) {
        this._message = KernelBridge.NO_SUBSHELLS_MESSAGE;
      }
      await bootOnShell(connection, this._probe.subshellId, this._timeoutMs);
      comm.onMsg = msg => this._onCommMsg(msg);
      comm.onClose = () => {
        if (this._comm === comm) {
          this._reset('kernel-restarted');
        }
      };
      this._comm = comm;
      comm.open({});
      const hello = (await this._send('hello', {}, this._timeoutMs)) as IHello;
      for (const { op, args } of this._setup()) {
        await this._send(op, args, this._timeoutMs);
      }
      this._hello = hello;
      if (kernel.supportsSubshells) {
        this._message = '';
      }
      this._setState('ready');
      return hello;
    } catch (reason) {
      const error =
        reason instanceof ProbeError
          ? reason
          : new ProbeError('internal', String(reason));
      if (!this.isDisposed) {
        this._message = error.message;
        this._setState(error.kind === 'no-subshells' ? 'unsupported' : 'failed');
      }
      throw error;
    }
  }

  /** The fallback: one request through DAP evaluate in the stopped frame. */
  private async _evaluate<K extends Operation>(
    op: K,
    args: IOperations[K]['args'],
    frameId: number,
    timeoutMs: number
  ): Promise<IOperations[K]['result']> {
    const id = this._pending.nextId();
    const reply = await evaluateRequest(
      this._kernel,
      frameId,
      { id, op, args },
      timeoutMs
    );
    if (!reply.ok) {
      throw reply.error;
    }
    return decodeResult(op, reply.result);
  }

  private _send<K extends Operation>(
    op: K,
    args: IOperations[K]['args'],
    timeoutMs: number
  ): Promise<IOperations[K]['result']> {
    const comm = this._comm;
    if (!comm || comm.isDisposed) {
      return Promise.reject(
        new ProbeError('kernel-restarted', KernelBridge.RESTARTED_MESSAGE)
      );
    }
    const id = this._pending.nextId();
    const reply = this._pending.wait(id, op, timeoutMs);
    this._outbox.post(encodeRequest(id, op, args));
    return reply;
  }

  /** Put requests on the comm: one alone, several as one batch message. */
  private _post(requests: IRequest[]): void {
    const comm = this._comm;
    if (!comm || comm.isDisposed) {
      const error = new ProbeError('kernel-restarted', KernelBridge.RESTARTED_MESSAGE);
      requests.forEach(r => this._pending.settle({ id: r.id, ok: false, error }));
      return;
    }
    const data = requests.length === 1 ? requests[0] : { batch: requests };
    comm.send(data as unknown as JSONObject);
  }

  private _onCommMsg(msg: KernelMessage.ICommMsgMsg): void {
    const data = msg.content.data;
    const batch = (data as { batch?: unknown }).batch;
    for (const item of Array.isArray(batch) ? batch : [data]) {
      let reply;
      try {
        reply = decodeReply(item);
      } catch (error) {
        // A reply we cannot even read has no id: nothing to settle.
        continue;
      }
      this._pending.settle(reply);
    }
  }

  private _onKernelStatus(
    _: Kernel.IKernelConnection,
    status: Kernel.Status
  ): void {
    if (status === 'restarting' || status === 'autorestarting') {
      this._reset('kernel-restarted');
    } else if (status === 'dead') {
      this._reset('kernel-dead');
    }
  }

  /** Forget the comm after a restart; the next request reconnects. */
  private _reset(kind: 'kernel-restarted' | 'kernel-dead'): void {
    if (this.isDisposed) {
      return;
    }
    const message =
      kind === 'kernel-dead'
        ? 'The kernel died. Restart it to inspect values again.'
        : KernelBridge.RESTARTED_MESSAGE;
    this._outbox.clear();
    this._pending.rejectAll(new ProbeError(kind, message));
    const comm = this._comm;
    this._comm = null;
    comm?.dispose();
    // The subshell went with the old kernel: the next request opens a new connection.
    this._probe.drop(false);
    this._hello = null;
    this._connecting = null;
    this._message = kind === 'kernel-dead' ? message : '';
    this._setState(kind === 'kernel-dead' ? 'failed' : 'idle');
  }

  private _setState(state: KernelBridge.State): void {
    if (this._state === state) {
      return;
    }
    this._state = state;
    this._stateChanged.emit(state);
  }

  private _kernel: Kernel.IKernelConnection;
  private _timeoutMs: number;
  private _stoppedFrame: (kernel: Kernel.IKernelConnection) => number | null;
  private _setup: () => readonly OperationCall[];
  private _state: KernelBridge.State = 'idle';
  private _stateChanged = new Signal<this, KernelBridge.State>(this);
  private _comm: Kernel.IComm | null = null;
  private _probe: ProbeConnection;
  private _traffic: DebuggerTraffic;
  private _hello: IHello | null = null;
  private _message = '';
  private _connecting: Promise<IHello> | null = null;
  private _pending = new PendingRequests();
  private _outbox = new Outbox(requests => this._post(requests));
}

export namespace KernelBridge {
  export interface IOptions {
    /** The kernel to talk to. */
    kernel: Kernel.IKernelConnection;
    /** How long a request may take before it fails, in ms. */
    timeoutMs?: number;
    /**
     * The id of the debugger's selected frame when this kernel is stopped,
     * else null: the fallback transport evaluates there.
     */
    stoppedFrame?: (kernel: Kernel.IKernelConnection) => number | null;
    /** Requests each new connection sends before any other: the probe's settings (Secrets). */
    setup?: () => readonly OperationCall[];
  }

  /** How requests travel; see `KernelBridge.transport`. */
  export type Transport = 'subshell' | 'shell';

  /**
   * idle: not connected yet (or reset by a restart); connecting; ready;
   * unsupported: the kernel has no subshells; failed: loading failed or the
   * kernel died; disposed.
   */
  export type State =
    | 'idle'
    | 'connecting'
    | 'ready'
    | 'unsupported'
    | 'failed'
    | 'disposed';

  export const DEFAULT_TIMEOUT_MS = 10000;

  export const NO_SUBSHELLS_MESSAGE =
    'Live view needs a kernel with subshells: ipykernel 7 or newer. Values show when the kernel is idle or stopped; for live values run "pip install -U ipykernel" in the kernel\'s environment and restart the kernel.';

  export const RESTARTED_MESSAGE =
    'The kernel restarted; values reload when it is ready.';
}
