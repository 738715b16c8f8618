/**
 * The trace service with only the bridge faked: rows fetched with `since`
 * when the bridge connects, the notebook comes into focus, the debugger
 * stops, a cell finishes and, while one runs, at the refresh interval; only
 * while the section is shown; one trace per kernel.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ITrace } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import { Signal } from '@lumino/signaling';
import type { FakeNotebook } from '../live/testing/fakes';
import {
  FakeExecutions,
  FakeTracker,
  fakeNotebook,
  frame
} from '../live/testing/fakes';
import { TraceService } from './service';
import { batch, FakeTraceBridges, FakeTraceDebugger, traceRow } from './testing/fakes';

/** The notebook's kernel, with the disposed signal the service follows. */
function withDisposal(nb: FakeNotebook): FakeNotebook {
  const kernel = nb.sessionContext.session.kernel;
  Object.assign(kernel, { disposed: new Signal<unknown, void>(kernel) });
  return nb;
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

describe('TraceService', () => {
  let debug: FakeTraceDebugger;
  let tracker: FakeTracker;
  let bridges: FakeTraceBridges;
  let executions: FakeExecutions;
  let service: TraceService;
  const nb1 = withDisposal(
    fakeNotebook('k1', ['import torch', 'for step in range(9):\n  loss = step'])
  );
  const nb2 = withDisposal(fakeNotebook('k2', ['x = 1']));
  const stopFrame = frame(1, 'train', '/tmp/ipykernel_1/30.py', 4);

  beforeEach(() => {
    debug = new FakeTraceDebugger();
    tracker = new FakeTracker();
    bridges = new FakeTraceBridges();
    executions = new FakeExecutions();
    tracker.currentWidget = nb1;
  });

  afterEach(() => {
    service.dispose();
    jest.useRealTimers();
  });

  const start = (refreshInterval?: number) => {
    service = new TraceService({
      debugger: debug as unknown as IDebugger,
      notebookTracker: tracker as unknown as INotebookTracker,
      bridges,
      executions,
      refreshInterval
    });
  };
  const bridgeOf = (nb: typeof nb1) => bridges.bridgeFor(nb.sessionContext.session.kernel);
  /** Started with rows 1 and 2 already fetched; every later fetch brings `rows`. */
  const startWithTwoRows = async (next: () => ITrace = () => batch([])) => {
    const bridge = bridgeOf(nb1);
    bridge.autoReply = () => batch([traceRow(1), traceRow(2)]);
    start();
    await flush();
    bridge.autoReply = () => next();
    return bridge;
  };

  it('never loads the probe itself: no request while the bridge is not connected', () => {
    bridgeOf(nb1).state = 'idle';
    start();
    expect(bridgeOf(nb1).calls).toHaveLength(0);
    expect(service.model).not.toBeNull();
  });

  it('fetches everything since the last row when the bridge connects', async () => {
    bridgeOf(nb1).state = 'idle';
    start();
    const bridge = bridgeOf(nb1);
    bridge.autoReply = () => batch([traceRow(1), traceRow(2)]);
    bridge.setState('ready');
    await flush();
    expect(bridge.calls[0].args).toEqual({ since: 0, limit: 1000 });
    expect(service.model!.rows.map(r => r.seq)).toEqual([1, 2]);
  });

  it('fetches the rows since the last one when the debugger stops', async () => {
    const bridge = await startWithTwoRows(() => batch([traceRow(3)]));
    debug.model.callstack.stopAt([stopFrame]);
    await flush();
    expect(bridge.traceSinces()).toEqual([0, 3]);
    expect(service.model!.rows.map(r => r.log)).toEqual(['step 1', 'step 2', 'step 3']);

    // Continuing empties the call stack: nothing to fetch for that.
    debug.model.callstack.resume();
    await flush();
    expect(bridge.traceSinces()).toEqual([0, 3]);
  });

  it('fetches the rows since the last one when a cell of this notebook finishes', async () => {
    const bridge = await startWithTwoRows(() => batch([traceRow(3), traceRow(4)]));
    executions.start(nb1);
    executions.finish(nb1);
    await flush();
    expect(bridge.traceSinces()).toEqual([0, 3]);
    expect(service.model!.rows.map(r => r.seq)).toEqual([1, 2, 3, 4]);

    // Another notebook's cell is not this trace's business.
    executions.start(nb2);
    executions.finish(nb2);
    await flush();
    expect(bridge.traceSinces()).toEqual([0, 3]);
  });

  it('fetches at the refresh interval while a cell runs, and stops when it ends', async () => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    let seq = 2;
    const bridge = await startWithTwoRows(() => batch([traceRow(++seq)]));
    service.refreshInterval = 2000;
    executions.start(nb1);
    for (let t = 0; t < 5000; t += 500) {
      jest.advanceTimersByTime(500);
      await flush();
    }
    const during = bridge.traceSinces().slice(1);
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.length).toBeLessThanOrEqual(3);
    expect(during.slice(0, 2)).toEqual([3, 4]);
    expect(service.model!.rows.map(r => r.seq)).toEqual([1, 2, 3, 4, ...(during.length > 2 ? [5] : [])]);

    executions.finish(nb1);
    await flush();
    const afterFinish = bridge.traceSinces().length;
    jest.advanceTimersByTime(10000);
    await flush();
    expect(bridge.traceSinces()).toHaveLength(afterFinish);
  });

  it('fetches nothing while the section is hidden, and catches up when shown', async () => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    const bridge = await startWithTwoRows(() => batch([traceRow(3)]));
    service.isShown = false;
    debug.model.callstack.stopAt([stopFrame]);
    executions.start(nb1);
    jest.advanceTimersByTime(10000);
    executions.finish(nb1);
    bridge.setState('connecting');
    bridge.setState('ready');
    tracker.switchTo(nb1);
    await flush();
    expect(bridge.traceSinces()).toEqual([0]);

    service.isShown = true;
    await flush();
    expect(bridge.traceSinces()).toEqual([0, 3]);
    expect(service.model!.rows.map(r => r.seq)).toEqual([1, 2, 3]);
  });

  it('fetches once more when asked while a fetch is in flight, so no row waits', async () => {
    start();
    const bridge = bridgeOf(nb1);
    debug.model.callstack.stopAt([stopFrame]);
    expect(bridge.calls).toHaveLength(1);
    bridge.calls[0].reply.resolve(batch([traceRow(1)]));
    await flush();
    expect(bridge.traceSinces()).toEqual([0, 2]);
    bridge.calls[1].reply.resolve(batch([traceRow(2)]));
    await flush();
    expect(service.model!.rows.map(r => r.seq)).toEqual([1, 2]);
    expect(bridge.calls).toHaveLength(2);
  });

  it('keeps a trace per kernel, and catches up when its notebook is focused again', async () => {
    start();
    bridgeOf(nb1).calls[0].reply.resolve(batch([traceRow(1)]));
    await flush();
    const first = service.model;
    tracker.switchTo(nb2);
    bridgeOf(nb2).calls[0].reply.resolve(batch([]));
    await flush();
    expect(service.model).not.toBe(first);

    tracker.switchTo(nb1);
    expect(service.model).toBe(first);
    const catchUp = bridgeOf(nb1).calls[1];
    expect(catchUp.op).toBe('trace');
    expect(catchUp.args).toEqual({ since: 2, limit: 1000 });
    catchUp.reply.resolve(batch([traceRow(2)]));
    await flush();
    expect(first!.rows.map(r => r.seq)).toEqual([1, 2]);
  });

  it('asks again while a batch comes back full', async () => {
    start();
    const bridge = bridgeOf(nb1);
    const full: ITrace = batch(Array.from({ length: 1000 }, (_, i) => traceRow(i + 1)));
    bridge.calls[0].reply.resolve(full);
    await flush();
    expect(bridge.calls[1].args).toEqual({ since: 1001, limit: 1000 });
  });

  it('says why a fetch failed in the section', async () => {
    start();
    bridgeOf(nb1).calls[0].reply.reject(new ProbeError('kernel-dead', 'gone'));
    await flush();
    expect(service.model!.message).toContain('The kernel died');
  });

  it('forgets the trace of a kernel that is gone', async () => {
    start();
    const kernel = nb1.sessionContext.session.kernel;
    const models: unknown[] = [];
    service.currentChanged.connect((_, m) => void models.push(m));
    (kernel.disposed as Signal<unknown, void>).emit(undefined);
    expect(service.model).toBeNull();
    expect(models).toEqual([null]);
  });

  it('maps a row to its cell, and clears here and in the kernel', async () => {
    start();
    const bridge = bridgeOf(nb1);
    bridge.calls[0].reply.resolve(batch([traceRow(1)]));
    await flush();
    const path = debug.getCodeId('for step in range(9):\n  loss = step');
    expect(service.cellOf(path)).toBe(2);
    bridge.autoReply = () => ({ cleared: 1, next: 2 });
    await service.clear();
    expect(bridge.calls[1].op).toBe('clear_trace');
    expect(service.model!.rows).toHaveLength(0);
    expect(service.model!.next).toBe(2);
  });
});
