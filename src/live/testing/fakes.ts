/**
 * Test doubles for the section services. Only the kernel bridge is a real
 * seam; the debugger, tracker and execution signals stand in for the
 * JupyterLab objects a service merely listens to, with just the surface it
 * reads. Test-only: excluded from the build.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { Notebook } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';
import { Signal } from '@lumino/signaling';
import type { KernelBridge } from '../../kernel/bridge';
import type { IOperations, IRow, Operation } from '../../kernel/protocol';
import type { IBridgeFinder, ILiveRequester } from '../../kernel/requester';

/** One request the service sent, with the reply a test settles by hand. */
export interface ICall {
  op: Operation;
  args: IOperations[Operation]['args'];
  reply: PromiseDelegate<unknown>;
}

/** The kernel bridge: records each request; answers at once when told how. */
export class FakeBridge implements ILiveRequester {
  state: KernelBridge.State = 'ready';
  transport: KernelBridge.Transport = 'subshell';
  message = '';
  calls: ICall[] = [];
  /** When set, every request is answered with this at once. */
  autoReply: ((op: Operation, args: ICall['args']) => unknown) | null = null;

  request<K extends Operation>(
    op: K,
    args: IOperations[K]['args']
  ): Promise<IOperations[K]['result']> {
    const reply = new PromiseDelegate<unknown>();
    this.calls.push({ op, args, reply });
    if (this.autoReply) {
      try {
        reply.resolve(this.autoReply(op, args));
      } catch (error) {
        reply.reject(error);
      }
    }
    return reply.promise as Promise<IOperations[K]['result']>;
  }

  valuesCalls(kind?: string): ICall[] {
    return this.calls.filter(
      c =>
        c.op === 'values' &&
        (!kind || (c.args as IOperations['values']['args']).scope.kind === kind)
    );
  }
}

export class FakeBridges implements IBridgeFinder<FakeBridge> {
  bridges = new Map<Kernel.IKernelConnection, FakeBridge>();
  bridgeFor(kernel: Kernel.IKernelConnection): FakeBridge {
    let bridge = this.bridges.get(kernel);
    if (!bridge) {
      bridge = new FakeBridge();
      this.bridges.set(kernel, bridge);
    }
    return bridge;
  }
}

class FakeSessionContext {
  constructor(kernelId: string) {
    this.session = { kernel: fakeKernel(kernelId) };
  }
  session: { kernel: Kernel.IKernelConnection };
  kernelChanged = new Signal<this, unknown>(this);
  statusChanged = new Signal<this, Kernel.Status>(this);
}

export function fakeKernel(id: string): Kernel.IKernelConnection {
  return { id } as Kernel.IKernelConnection;
}

/** A notebook panel on a kernel, with cells of the given sources. */
export function fakeNotebook(kernelId: string, sources: string[] = []) {
  const sessionContext = new FakeSessionContext(kernelId);
  const content = {
    widgets: sources.map(source => ({
      model: { sharedModel: { getSource: () => source } }
    }))
  };
  return { content, sessionContext };
}
export type FakeNotebook = ReturnType<typeof fakeNotebook>;

export class FakeTracker {
  currentWidget: FakeNotebook | null = null;
  currentChanged = new Signal<this, FakeNotebook | null>(this);
  switchTo(notebook: FakeNotebook | null): void {
    this.currentWidget = notebook;
    this.currentChanged.emit(notebook);
  }
}

class FakeCallstack {
  frame: IDebugger.IStackFrame | null = null;
  frames: IDebugger.IStackFrame[] = [];
  currentFrameChanged = new Signal<this, IDebugger.IStackFrame | null>(this);
  stopAt(frames: IDebugger.IStackFrame[], index = 0): void {
    this.frames = frames;
    this.select(frames[index] ?? null);
  }
  select(frame: IDebugger.IStackFrame | null): void {
    this.frame = frame;
    this.currentFrameChanged.emit(frame);
  }
}

export class FakeDebugger {
  isStarted = true;
  session: { connection: { kernel: Kernel.IKernelConnection } } | null = null;
  sessionChanged = new Signal<this, unknown>(this);
  model = { callstack: new FakeCallstack() };
  getCodeId(code: string): string {
    return `/tmp/ipykernel_1/${code.length}.py`;
  }
}

/** `NotebookActions.executionScheduled` and `executed`, fired by hand. */
export class FakeExecutions {
  scheduled = new Signal<this, { notebook: Notebook }>(this);
  executed = new Signal<this, { notebook: Notebook }>(this);
  start(nb: FakeNotebook): void {
    this.scheduled.emit({ notebook: nb.content as unknown as Notebook });
  }
  finish(nb: FakeNotebook): void {
    this.executed.emit({ notebook: nb.content as unknown as Notebook });
  }
}

/** A top-level scalar row named `name`, with `extra` fields overriding. */
export function row(name: string, extra: Partial<IRow> = {}): IRow {
  return {
    name,
    type: 'int',
    kind: 'scalar',
    summary: '1',
    size: 28,
    nonfinite: false,
    expandable: false,
    path: [{ kind: 'name', name }],
    stats: null,
    error: null,
    masked: false,
    ...extra
  };
}

/** The probe's reply for the globals, holding `rows`. */
export function valuesReply(rows: IRow[]) {
  return {
    scope: { kind: 'globals', thread: null, frame: null },
    rows,
    truncated: false,
    elapsedMs: 1
  };
}

export function frame(id: number, name: string, path: string, line: number) {
  return { id, name, line, column: 1, source: { path } } as IDebugger.IStackFrame;
}
