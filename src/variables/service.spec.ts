import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker, Notebook } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';
import { Signal } from '@lumino/signaling';
import { KernelBridge } from '../kernel/bridge';
import type { IOperations, IRow, Operation } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import { rowKey, VariableValuesModel } from './model';
import { VariableValuesService } from './service';

// Fakes: only the surface the service reads. The bridge is the one real seam;
// the rest stand in for JupyterLab objects the service merely listens to.

interface ICall {
  op: Operation;
  args: IOperations[Operation]['args'];
  reply: PromiseDelegate<unknown>;
}

class FakeBridge implements VariableValuesService.IBridge {
  state: KernelBridge.State = 'ready';
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

class FakeBridges implements VariableValuesService.IBridges {
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

function fakeKernel(id: string): Kernel.IKernelConnection {
  return { id } as Kernel.IKernelConnection;
}

function fakeNotebook(kernelId: string, sources: string[] = []) {
  const sessionContext = new FakeSessionContext(kernelId);
  const content = {
    widgets: sources.map(source => ({
      model: { sharedModel: { getSource: () => source } }
    }))
  };
  return { content, sessionContext };
}
type FakeNotebook = ReturnType<typeof fakeNotebook>;

class FakeTracker {
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

class FakeDebugger {
  isStarted = true;
  session: { connection: { kernel: Kernel.IKernelConnection } } | null = null;
  sessionChanged = new Signal<this, unknown>(this);
  model = { callstack: new FakeCallstack() };
  getCodeId(code: string): string {
    return `/tmp/ipykernel_1/${code.length}.py`;
  }
}

class FakeExecutions {
  scheduled = new Signal<this, { notebook: Notebook }>(this);
  executed = new Signal<this, { notebook: Notebook }>(this);
  start(nb: FakeNotebook): void {
    this.scheduled.emit({ notebook: nb.content as unknown as Notebook });
  }
  finish(nb: FakeNotebook): void {
    this.executed.emit({ notebook: nb.content as unknown as Notebook });
  }
}

function row(name: string, extra: Partial<IRow> = {}): IRow {
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
    ...extra
  };
}

function valuesReply(rows: IRow[]) {
  return {
    scope: { kind: 'globals', thread: null, frame: null },
    rows,
    truncated: false,
    elapsedMs: 1
  };
}

function frame(id: number, name: string, path: string, line: number) {
  return { id, name, line, column: 1, source: { path } } as IDebugger.IStackFrame;
}

describe('VariableValuesService', () => {
  let debug: FakeDebugger;
  let tracker: FakeTracker;
  let bridges: FakeBridges;
  let executions: FakeExecutions;
  let model: VariableValuesModel;
  let service: VariableValuesService;
  let nb: FakeNotebook;
  let bridge: FakeBridge;

  const names = () => model.visibleRows.map(r => r.name);

  function start(settings: Partial<VariableValuesService.ISettings> = {}) {
    service = new VariableValuesService({
      debugger: debug as unknown as IDebugger,
      notebookTracker: tracker as unknown as INotebookTracker,
      bridges,
      model,
      executions,
      settings
    });
  }

  beforeEach(() => {
    jest.useFakeTimers();
    debug = new FakeDebugger();
    tracker = new FakeTracker();
    bridges = new FakeBridges();
    executions = new FakeExecutions();
    model = new VariableValuesModel();
    nb = fakeNotebook('k1', ['import torch', 'def train_step(x):\n  return x']);
    tracker.currentWidget = nb;
    bridge = bridges.bridgeFor(nb.sessionContext.session.kernel);
  });

  afterEach(() => {
    service.dispose();
    model.dispose();
    jest.useRealTimers();
  });

  it('shows the globals when nothing is stopped', async () => {
    bridge.autoReply = () => valuesReply([row('lr'), row('model')]);
    start();
    await jest.advanceTimersByTimeAsync(0);
    expect(bridge.valuesCalls('globals')).toHaveLength(1);
    expect(model.mode).toBe('globals');
    expect(model.scopeLabel).toBe('globals');
    expect(names()).toEqual(['lr', 'model']);
  });

  it('asks a plain sentence to open a notebook when there is no kernel', async () => {
    tracker.currentWidget = null;
    start();
    await jest.advanceTimersByTimeAsync(0);
    expect(model.status).toBe('empty');
    expect(model.message).toMatch(/Open a notebook with a running kernel/);
    expect(model.hasKernel).toBe(false);
  });

  it('shows the selected frame and follows another frame selection, dropping the stale reply', async () => {
    bridge.autoReply = () => valuesReply([row('g')]);
    start();
    await jest.advanceTimersByTimeAsync(0);
    bridge.autoReply = null;

    const inner = frame(7, 'train_step', debug.getCodeId('def train_step(x):\n  return x'), 2);
    const outer = frame(8, '<module>', '/tmp/ipykernel_1/999.py', 5);
    debug.model.callstack.stopAt([inner, outer], 0);
    const first = bridge.valuesCalls('frame')[0];
    expect(first.args).toMatchObject({
      scope: {
        kind: 'frame',
        index: 0,
        frames: [
          { path: inner.source!.path, name: 'train_step', line: 2 },
          { path: '/tmp/ipykernel_1/999.py', name: '<module>', line: 5 }
        ]
      },
      budget_ms: 1000,
      value_budget_ms: 150
    });
    expect(model.mode).toBe('stopped');
    expect(model.scopeLabel).toBe('frame train_step (cell 2, line 2)');

    debug.model.callstack.select(outer);
    const second = bridge.valuesCalls('frame')[1];
    expect(second.args).toMatchObject({ scope: { index: 1 } });
    expect(model.scopeLabel).toBe('frame <module> (line 5)');

    second.reply.resolve(valuesReply([row('outer_local')]));
    await jest.advanceTimersByTimeAsync(0);
    // The reply for the frame no longer selected arrives last and is dropped.
    first.reply.resolve(valuesReply([row('inner_local')]));
    await jest.advanceTimersByTimeAsync(0);
    expect(names()).toEqual(['outer_local']);
  });

  it('drops a reply for the notebook the user switched away from', async () => {
    start();
    const old = bridge.valuesCalls()[0];
    const other = fakeNotebook('k2');
    const otherBridge = bridges.bridgeFor(other.sessionContext.session.kernel);
    tracker.switchTo(other);
    otherBridge.valuesCalls()[0].reply.resolve(valuesReply([row('b')]));
    await jest.advanceTimersByTimeAsync(0);
    old.reply.resolve(valuesReply([row('a')]));
    await jest.advanceTimersByTimeAsync(0);
    expect(names()).toEqual(['b']);
    expect(model.status).toBe('ready');
  });

  it('polls live values at the interval only while a cell runs: at most 3 requests over 5 s', async () => {
    let outputs = 0;
    bridge.autoReply = (_, args) =>
      (args as IOperations['values']['args']).scope.kind === 'live'
        ? {
            running: true,
            rows: [row('model')],
            frames: [
              {
                thread: 'MainThread',
                path: '/tmp/ipykernel_1/5.py',
                name: 'train',
                line: 4,
                rows: [row('loss', { summary: String(++outputs) })]
              }
            ],
            truncated: false,
            elapsedMs: 2
          }
        : valuesReply([row('model'), row('loss')]);
    start();
    await jest.advanceTimersByTimeAsync(0);
    const idleCalls = bridge.calls.length;

    executions.start(nb);
    await jest.advanceTimersByTimeAsync(5000);
    const live = bridge.valuesCalls('live');
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(live.length).toBeLessThanOrEqual(3);
    expect(bridge.calls.length - idleCalls).toBe(live.length);

    expect(model.mode).toBe('live');
    expect(model.scopeLabel).toBe('live: 1 running frame');
    expect(model.visibleGroups.map(g => g.label)).toEqual([
      'train line 4 (MainThread)',
      'Globals'
    ]);
    // The loss seen at each poll makes a series for the sparkline.
    const train = model.visibleGroups[0];
    expect(model.history(train, train.rows[0]).length).toBe(live.length);

    executions.finish(nb);
    await jest.advanceTimersByTimeAsync(0);
    expect(bridge.valuesCalls('globals')).toHaveLength(2);
    expect(model.mode).toBe('globals');

    // An idle kernel is never polled.
    const after = bridge.calls.length;
    await jest.advanceTimersByTimeAsync(20000);
    expect(bridge.calls.length).toBe(after);
  });

  it('sends no live request for a cell that ends at once', async () => {
    bridge.autoReply = () => valuesReply([row('x')]);
    start();
    await jest.advanceTimersByTimeAsync(0);
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(50);
    executions.finish(nb);
    await jest.advanceTimersByTimeAsync(5000);
    expect(bridge.valuesCalls('live')).toHaveLength(0);
    expect(bridge.valuesCalls('globals')).toHaveLength(2);
  });

  it('follows a new refresh interval from the settings', async () => {
    bridge.autoReply = () => ({
      running: true,
      rows: [],
      frames: [],
      truncated: false,
      elapsedMs: 1
    });
    start({ refreshInterval: 1000 });
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(3100);
    expect(bridge.valuesCalls('live')).toHaveLength(3);
    service.settings = { ...service.settings, refreshInterval: 5000 };
    await jest.advanceTimersByTimeAsync(4900);
    expect(bridge.valuesCalls('live')).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(200);
    expect(bridge.valuesCalls('live')).toHaveLength(4);
  });

  it('says live view needs ipykernel 7 when the kernel has no subshells, and does not poll', async () => {
    bridge.autoReply = () => {
      bridge.state = 'unsupported';
      bridge.message = KernelBridge.NO_SUBSHELLS_MESSAGE;
      throw new ProbeError('no-subshells', bridge.message);
    };
    start();
    await jest.advanceTimersByTimeAsync(0);
    expect(model.status).toBe('unsupported');
    expect(model.message).toMatch(/ipykernel 7 or newer/);

    executions.start(nb);
    await jest.advanceTimersByTimeAsync(10000);
    expect(bridge.calls).toHaveLength(1);
    expect(model.status).toBe('unsupported');
  });

  it('explains a kernel restart mid-request and reloads once the kernel is back', async () => {
    start();
    bridge.valuesCalls()[0].reply.reject(
      new ProbeError('kernel-restarted', KernelBridge.RESTARTED_MESSAGE)
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(model.status).toBe('error');
    expect(model.message).toMatch(/kernel restarted while values were loading/);

    bridge.autoReply = () => valuesReply([row('fresh')]);
    nb.sessionContext.statusChanged.emit('restarting');
    nb.sessionContext.statusChanged.emit('busy');
    nb.sessionContext.statusChanged.emit('idle');
    await jest.advanceTimersByTimeAsync(0);
    expect(model.status).toBe('ready');
    expect(names()).toEqual(['fresh']);

    // Later idles come from ordinary requests (ours too): no refresh loop.
    const count = bridge.calls.length;
    nb.sessionContext.statusChanged.emit('busy');
    nb.sessionContext.statusChanged.emit('idle');
    await jest.advanceTimersByTimeAsync(0);
    expect(bridge.calls.length).toBe(count);
  });

  it('stops the live view when the kernel dies mid-cell', async () => {
    bridge.autoReply = () => ({ running: true, rows: [], frames: [], truncated: false, elapsedMs: 1 });
    start();
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(2500);
    bridge.autoReply = () => {
      throw new ProbeError('kernel-dead', 'The kernel died.');
    };
    nb.sessionContext.statusChanged.emit('dead');
    await jest.advanceTimersByTimeAsync(0);
    expect(model.message).toMatch(/Restart it from the Kernel menu/);
    const count = bridge.calls.length;
    await jest.advanceTimersByTimeAsync(10000);
    expect(bridge.calls.length).toBe(count);
  });

  it('reloads values from a new kernel of the same notebook', async () => {
    bridge.autoReply = () => valuesReply([row('old')]);
    start();
    await jest.advanceTimersByTimeAsync(0);
    nb.sessionContext.session = { kernel: fakeKernel('k9') };
    bridges.bridgeFor(nb.sessionContext.session.kernel).autoReply = () =>
      valuesReply([row('new')]);
    nb.sessionContext.kernelChanged.emit(null);
    await jest.advanceTimersByTimeAsync(0);
    expect(names()).toEqual(['new']);
  });

  it('rejects an on-demand refresh with the sentence the user needs', async () => {
    bridge.autoReply = () => valuesReply([]);
    start();
    await jest.advanceTimersByTimeAsync(0);
    bridge.autoReply = () => {
      throw new ProbeError(
        'timeout',
        'The kernel did not answer within 10 s. It may be running C code that holds the GIL; try again in a moment.'
      );
    };
    await expect(service.refresh()).rejects.toThrow(/try again in a moment/);
    expect(model.status).toBe('error');
  });

  it('expands a row lazily and shows a repr only when asked, in the current scope', async () => {
    const batch = row('batch', { kind: 'container', expandable: true });
    bridge.autoReply = (op, args) => {
      switch (op) {
        case 'values':
          return valuesReply([batch]);
        case 'children':
          return {
            rows: [row('0', { path: [...(args as IOperations['children']['args']).path, { kind: 'index', index: 0 }] })],
            truncated: false,
            elapsedMs: 1
          };
        default:
          return { text: '<img src=x onerror=alert(1)>', truncated: false };
      }
    };
    start();
    await jest.advanceTimersByTimeAsync(0);
    expect(bridge.calls.map(c => c.op)).toEqual(['values']);

    await service.expand(batch);
    const children = bridge.calls[1];
    expect(children.op).toBe('children');
    expect(children.args).toMatchObject({ scope: { kind: 'globals' }, path: batch.path });
    expect(model.children(rowKey(batch.path))?.rows.map(r => r.name)).toEqual(['0']);

    await service.showRepr(batch);
    expect(bridge.calls[2].op).toBe('repr');
    expect(model.repr(rowKey(batch.path))?.text).toBe('<img src=x onerror=alert(1)>');

    // A refresh keeps the open row open and reloads its items.
    await service.refresh();
    expect(bridge.calls.map(c => c.op).slice(3)).toEqual(['values', 'children']);
    service.collapse(batch);
    expect(model.children(rowKey(batch.path))).toBeUndefined();
  });

  it('shows why a repr failed on the row and rejects for a notification', async () => {
    const obj = row('obj', { kind: 'object' });
    bridge.autoReply = op => {
      if (op === 'repr') {
        throw new ProbeError('timeout', 'repr did not return within 2 s.');
      }
      return valuesReply([obj]);
    };
    start();
    await jest.advanceTimersByTimeAsync(0);
    await expect(service.showRepr(obj)).rejects.toThrow('repr did not return');
    expect(model.repr(rowKey(obj.path))).toMatchObject({
      status: 'error',
      text: 'repr did not return within 2 s.'
    });
  });
});
