/**
 * The Watch service with only the bridge faked: where and when watches are
 * evaluated, what a hidden section asks, and watches saved with the notebook.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ReadonlyPartialJSONValue } from '@lumino/coreutils';
import type { IOperations, IWatchRow, Operation } from '../kernel/protocol';
import type { ICall } from '../live/testing/fakes';
import {
  FakeBridges,
  FakeDebugger,
  FakeExecutions,
  FakeTracker,
  fakeNotebook,
  frame,
  row
} from '../live/testing/fakes';
import { WatchModel } from './model';
import { METADATA_KEY } from './persistence';
import { WatchService } from './service';

/** A notebook model's metadata, as the service reads and writes it. */
class FakeNotebookModel {
  metadata: Record<string, ReadonlyPartialJSONValue> = {};
  getMetadata(key: string): unknown {
    return this.metadata[key];
  }
  setMetadata(key: string, value: ReadonlyPartialJSONValue): void {
    this.metadata[key] = value;
  }
  deleteMetadata(key: string): void {
    delete this.metadata[key];
  }
}

function notebook(kernel: string, saved?: ReadonlyPartialJSONValue) {
  const nb = fakeNotebook(kernel, ['x = 1', 'def step(i):\n  return i']);
  const model = new FakeNotebookModel();
  if (saved !== undefined) {
    model.metadata[METADATA_KEY] = saved;
  }
  return Object.assign(nb, { model, context: { ready: Promise.resolve() } });
}

/** Answers each watch with one row per expression whose number is `n`. */
function answer(n: number) {
  return (op: Operation, args: ICall['args']) => {
    const { expressions } = args as IOperations['watch']['args'];
    return {
      rows: expressions.map(
        (e): IWatchRow => ({ ...row(e, { summary: String(n) }), path: [], number: n })
      ),
      elapsedMs: 1
    };
  };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
}

describe('WatchService', () => {
  let debug: FakeDebugger;
  let tracker: FakeTracker;
  let bridges: FakeBridges;
  let executions: FakeExecutions;
  let model: WatchModel;
  let service: WatchService;
  let nb: ReturnType<typeof notebook>;

  beforeEach(() => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    debug = new FakeDebugger();
    tracker = new FakeTracker();
    bridges = new FakeBridges();
    executions = new FakeExecutions();
    model = new WatchModel();
    nb = notebook('k1', { watches: ['lr', 'loss.item()'], breakpoints: 'kept' });
    tracker.currentWidget = nb;
  });

  afterEach(() => {
    service.dispose();
    model.dispose();
    jest.useRealTimers();
  });

  const start = async () => {
    service = new WatchService({
      debugger: debug as unknown as IDebugger,
      notebookTracker: tracker as unknown as INotebookTracker,
      bridges,
      model,
      executions,
      settings: { refreshInterval: 1000 }
    });
    await flush();
  };
  const bridge = () => bridges.bridgeFor(nb.sessionContext.session.kernel);
  const watchCalls = () => bridge().calls.filter(c => c.op === 'watch');
  const scopeOf = (call: ICall) => (call.args as IOperations['watch']['args']).scope;

  it('restores the notebook saved watches and evaluates them in the globals when idle', async () => {
    bridge().autoReply = answer(1);
    await start();
    expect(model.expressions).toEqual(['lr', 'loss.item()']);
    expect(watchCalls()).toHaveLength(1);
    expect(scopeOf(watchCalls()[0])).toEqual({ kind: 'globals' });
    expect(model.row('lr')?.summary).toBe('1');
    expect(model.scopeLabel).toBe('globals');
  });

  it('re-evaluates at every stop and frame change, in the selected frame', async () => {
    bridge().autoReply = answer(1);
    await start();
    debug.session = { connection: { kernel: nb.sessionContext.session.kernel } };
    const frames = [frame(7, 'step', '/tmp/a.py', 2), frame(8, '<module>', '/tmp/b.py', 5)];
    bridge().autoReply = answer(2);
    debug.model.callstack.stopAt(frames, 0);
    await flush();
    expect(scopeOf(watchCalls()[1])).toMatchObject({ kind: 'frame', index: 0 });
    bridge().autoReply = answer(3);
    debug.model.callstack.select(frames[1]);
    await flush();
    expect(scopeOf(watchCalls()[2])).toMatchObject({ kind: 'frame', index: 1 });
    expect(model.history('lr')).toEqual([1, 2, 3]);
  });

  it('polls the running cell at the refresh interval, only while it runs', async () => {
    bridge().autoReply = answer(1);
    await start();
    executions.start(nb);
    jest.advanceTimersByTime(300);
    await flush();
    expect(scopeOf(watchCalls()[1])).toEqual({ kind: 'live' });
    bridge().autoReply = answer(4);
    jest.advanceTimersByTime(1000);
    await flush();
    expect(watchCalls()).toHaveLength(3);
    expect(model.history('loss.item()')).toEqual([1, 1, 4]);
    executions.finish(nb);
    await flush();
    const count = watchCalls().length;
    jest.advanceTimersByTime(5000);
    await flush();
    expect(watchCalls()).toHaveLength(count);
    expect(scopeOf(watchCalls()[count - 1])).toEqual({ kind: 'globals' });
  });

  it('asks nothing while the section is hidden, and catches up when shown', async () => {
    model.isShown = false;
    bridge().autoReply = answer(1);
    await start();
    executions.start(nb);
    jest.advanceTimersByTime(5000);
    model.add('grad_norm');
    await flush();
    expect(bridge().calls).toHaveLength(0);
    model.isShown = true;
    jest.advanceTimersByTime(300);
    await flush();
    expect(bridge().calls).toHaveLength(1);
    expect(scopeOf(watchCalls()[0])).toEqual({ kind: 'live' });
  });

  it('saves added and removed watches in the notebook metadata, keeping other keys', async () => {
    bridge().autoReply = answer(1);
    await start();
    model.add('  model.fc.weight.grad.norm() ');
    model.remove('lr');
    expect(nb.model.metadata[METADATA_KEY]).toEqual({
      watches: ['loss.item()', 'model.fc.weight.grad.norm()'],
      breakpoints: 'kept'
    });
    expect(scopeOf(watchCalls()[watchCalls().length - 1])).toEqual({ kind: 'globals' });

    // Round trip: the notebook opened again shows the same watches.
    service.dispose();
    model = new WatchModel();
    await start();
    expect(model.expressions).toEqual(['loss.item()', 'model.fc.weight.grad.norm()']);
  });

  it('follows the current notebook: its own watches, no values from the other kernel', async () => {
    bridge().autoReply = answer(1);
    await start();
    const other = notebook('k2');
    bridges.bridgeFor(other.sessionContext.session.kernel).autoReply = answer(9);
    tracker.switchTo(other);
    await flush();
    expect(model.expressions).toEqual([]);
    model.add('y');
    await flush();
    expect(other.model.metadata[METADATA_KEY]).toEqual({ watches: ['y'] });
    expect(model.history('y')).toEqual([9]);
    expect(nb.model.metadata[METADATA_KEY]).toMatchObject({ watches: ['lr', 'loss.item()'] });
  });

  it('shows why a watch could not be evaluated', async () => {
    bridge().autoReply = () => {
      throw new Error('socket closed');
    };
    await start();
    expect(model.message).toContain('socket closed');
  });

  it('reveals a masked watch on request only, by its expression, until the next evaluation', async () => {
    nb = notebook('k1', { watches: ['api_token', 'images :: B 3'] });
    tracker.currentWidget = nb;
    bridge().autoReply = (op, args) => {
      if (op === 'reveal') {
        return { row: { ...row('api_token', { summary: "'tok-123'" }), path: [] }, number: null };
      }
      const { expressions } = args as IOperations['watch']['args'];
      return {
        rows: expressions.map(
          (e): IWatchRow => ({ ...row(e, { summary: '••••••', masked: true }), path: [], number: null })
        ),
        elapsedMs: 1
      };
    };
    await start();
    expect(model.row('api_token')?.masked).toBe(true);
    await service.reveal('images :: B 3');
    const call = bridge().calls.find(c => c.op === 'reveal')!;
    expect(call.args).toEqual({ scope: { kind: 'globals' }, target: { expression: 'images' } });
    expect(model.revealed('images :: B 3')?.summary).toBe("'tok-123'");
    await service.refresh();
    expect(model.revealed('images :: B 3')).toBeNull();
  });
});
