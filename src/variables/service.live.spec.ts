import { KernelBridge } from '../kernel/bridge';
import type { IOperations } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import { VariableValuesModel } from './model';
import { VariableValuesService } from './service';
import type { FakeNotebook } from '../live/testing/fakes';
import {
  FakeBridge,
  FakeBridges,
  FakeExecutions,
  fakeKernel,
  row,
  valuesReply
} from '../live/testing/fakes';
import { ServiceHarness } from './testing/harness';

describe('VariableValuesService while cells run', () => {
  let h: ServiceHarness;
  let executions: FakeExecutions;
  let model: VariableValuesModel;
  let service: VariableValuesService;
  let nb: FakeNotebook;
  let bridge: FakeBridge;
  let bridges: FakeBridges;

  const names = () => h.names();

  function start(settings: Partial<VariableValuesService.ISettings> = {}) {
    service = h.start(settings);
  }

  beforeEach(() => {
    h = new ServiceHarness();
    ({ executions, model, nb, bridge, bridges } = h);
  });

  afterEach(() => {
    h.dispose();
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

  it('polls on the ticks of a clock shared by every section, and follows a new interval', async () => {
    // Sections at one interval ask at the same moments, so the bridge sends one message.
    const times: number[] = [];
    bridge.autoReply = (_, args) => {
      if ((args as { scope?: { kind: string } }).scope?.kind === 'live') {
        times.push(Date.now());
      }
      return { running: true, rows: [], frames: [], truncated: false, elapsedMs: 1 };
    };
    start({ refreshInterval: 1000 });
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(3100);
    // The first read comes soon after the cell starts; then one on each tick.
    expect(times).toEqual([300, 1000, 2000, 3000]);
    service.settings = { ...service.settings, refreshInterval: 5000 };
    await jest.advanceTimersByTimeAsync(16900);
    // The new interval applies at once: the next tick at least half of it away.
    expect(times.slice(4)).toEqual([10000, 15000, 20000]);
  });

  it('without subshells shows values when idle, and says live view needs ipykernel 7 instead of polling', async () => {
    bridge.transport = 'shell';
    bridge.message = KernelBridge.NO_SUBSHELLS_MESSAGE;
    bridge.autoReply = () => valuesReply([row('model')]);
    start();
    await jest.advanceTimersByTimeAsync(0);
    expect(model.status).toBe('ready');
    expect(model.visibleRows.map(r => r.name)).toEqual(['model']);

    executions.start(nb);
    await jest.advanceTimersByTimeAsync(10000);
    expect(bridge.valuesCalls('live')).toHaveLength(0);
    expect(model.status).toBe('unsupported');
    expect(model.message).toMatch(/ipykernel 7 or newer/);

    executions.finish(nb);
    await jest.advanceTimersByTimeAsync(0);
    expect(bridge.valuesCalls('globals')).toHaveLength(2);
    expect(model.status).toBe('ready');
  });

  it('explains a kernel restart mid-request and reloads once the kernel is back', async () => {
    start();
    bridge.valuesCalls()[0].reply.reject(
      new ProbeError('kernel-restarted', KernelBridge.RESTARTED_MESSAGE)
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(model.status).toBe('error');
    expect(model.message).toMatch(/kernel restarted while this section was loading/);

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
});
