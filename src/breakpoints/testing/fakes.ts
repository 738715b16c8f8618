/**
 * Test doubles for breakpoint actions. The kernel bridge is the real seam;
 * the debugger, its session and the notebook panel stand in for JupyterLab
 * objects with only the surface the service reads, and the session's
 * `setBreakpoints` answers as debugpy does. Test-only: excluded from the build.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { NotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { IOperations } from '../../kernel/protocol';
import type { BreakpointActionsService } from '../service';

type BridgeOp = 'set_actions' | 'validate';

/** The bridge: records requests, answers with `reply`. */
export class FakeBridge implements BreakpointActionsService.IBridge {
  calls: { op: BridgeOp; args: IOperations[BridgeOp]['args'] }[] = [];
  reply: (op: BridgeOp, args: IOperations[BridgeOp]['args']) => unknown = op =>
    op === 'set_actions'
      ? { ids: [], errors: {} }
      : { ok: true, message: null, line: null, offset: null };

  async request<K extends BridgeOp>(
    op: K,
    args: IOperations[K]['args']
  ): Promise<IOperations[K]['result']> {
    this.calls.push({ op, args });
    return this.reply(op, args) as IOperations[K]['result'];
  }
}

/** A kernel connection: only its id and status signal are read. */
export function fakeKernel(id: string): Kernel.IKernelConnection {
  const kernel = { id } as { id: string; statusChanged?: unknown };
  kernel.statusChanged = new Signal<object, Kernel.Status>(kernel);
  return kernel as unknown as Kernel.IKernelConnection;
}

/** A debugger session whose requests are recorded on their way to the kernel. */
export class FakeSession {
  constructor(readonly kernel: Kernel.IKernelConnection) {}
  sent: { command: string; args: unknown }[] = [];
  isStarted = true;
  get connection(): { kernel: Kernel.IKernelConnection } {
    return { kernel: this.kernel };
  }
  async sendRequest(command: string, args: unknown): Promise<unknown> {
    this.sent.push({ command, args });
    if (command === 'setBreakpoints') {
      const a = args as DebugProtocol.SetBreakpointsArguments;
      return {
        success: true,
        body: { breakpoints: (a.breakpoints ?? []).map(b => ({ ...b, verified: true })) }
      };
    }
    return { success: true, body: {} };
  }
  /** What the last setBreakpoints carried. */
  lastSetBreakpoints(): DebugProtocol.SetBreakpointsArguments {
    const found = [...this.sent].reverse().find(s => s.command === 'setBreakpoints');
    return found?.args as DebugProtocol.SetBreakpointsArguments;
  }
}

/** The source path JupyterLab gives a cell's code (a stand-in for murmur2). */
export function codeId(code: string): string {
  let h = 0;
  for (const ch of code) {
    h = (h * 31 + ch.charCodeAt(0)) | 0;
  }
  return `/tmp/ipykernel_1/${h >>> 0}.py`;
}

/**
 * The debugger service: `updateBreakpoints` sends plain `{line}` breakpoints
 * as JupyterLab's does, and `resend` replays JupyterLab's own re-send.
 */
export class FakeDebugger {
  constructor(kernel: Kernel.IKernelConnection) {
    this.session = new FakeSession(kernel);
  }
  session: FakeSession | null;
  isStarted = true;
  sessionChanged = new Signal<IDebugger, IDebugger.ISession | null>(
    this as unknown as IDebugger
  );
  stopped = new Signal<IDebugger, void>(this as unknown as IDebugger);
  model = {
    breakpoints: { restored: new Signal<unknown, void>(this) }
  };
  getCodeId(code: string): string {
    return codeId(code);
  }
  async updateBreakpoints(
    code: string,
    breakpoints: IDebugger.IBreakpoint[],
    path?: string
  ): Promise<void> {
    await this.resend(path || codeId(code), breakpoints.map(b => b.line!));
  }
  /** What JupyterLab sends after `changed`/`restored`: lines only. */
  async resend(path: string, lines: number[]): Promise<void> {
    await (this.session as unknown as IDebugger.ISession).sendRequest(
      'setBreakpoints',
      { source: { path }, breakpoints: lines.map(line => ({ line })), sourceModified: false }
    );
  }
  asDebugger(): IDebugger {
    return this as unknown as IDebugger;
  }
}

/** A notebook panel around a real notebook model, on a kernel. */
export function fakePanel(
  model: NotebookModel,
  kernel: Kernel.IKernelConnection
): NotebookPanel {
  return {
    isDisposed: false,
    disposed: new Signal<unknown, void>({}),
    context: { ready: Promise.resolve(), model },
    sessionContext: { session: { kernel } }
  } as unknown as NotebookPanel;
}
