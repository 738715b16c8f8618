import type { IOperations } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import { VariableValuesModel } from './model';
import { rowKey } from './rows';
import { VariableValuesService } from './service';
import {
  FakeBridge,
  FakeBridges,
  FakeDebugger,
  FakeTracker,
  fakeNotebook,
  frame,
  row,
  valuesReply
} from '../live/testing/fakes';
import { ServiceHarness } from './testing/harness';

describe('VariableValuesService', () => {
  let h: ServiceHarness;
  let debug: FakeDebugger;
  let tracker: FakeTracker;
  let model: VariableValuesModel;
  let service: VariableValuesService;
  let bridge: FakeBridge;
  let bridges: FakeBridges;

  const names = () => h.names();

  function start(settings: Partial<VariableValuesService.ISettings> = {}) {
    service = h.start(settings);
  }

  beforeEach(() => {
    h = new ServiceHarness();
    ({ debug, tracker, model, bridge, bridges } = h);
  });

  afterEach(() => {
    h.dispose();
  });

  it('asks nothing of the kernel while the section is hidden, and loads when shown', async () => {
    bridge.autoReply = () => valuesReply([row('lr')]);
    model.isShown = false;
    start();
    await jest.advanceTimersByTimeAsync(0);
    h.executions.start(h.nb);
    await jest.advanceTimersByTimeAsync(10000);
    h.executions.finish(h.nb);
    await jest.advanceTimersByTimeAsync(0);
    expect(bridge.calls).toHaveLength(0);

    model.isShown = true;
    await jest.advanceTimersByTimeAsync(0);
    expect(bridge.valuesCalls('globals')).toHaveLength(1);
    expect(names()).toEqual(['lr']);
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

  it('reads a stopped frame again grouped by scope when grouping is switched on, and back', async () => {
    start();
    await jest.advanceTimersByTimeAsync(0);
    debug.model.callstack.stopAt([frame(7, 'step', '/tmp/ipykernel_1/7.py', 7)], 0);
    bridge.valuesCalls('frame')[0].reply.resolve(valuesReply([row('lr')]));
    await jest.advanceTimersByTimeAsync(0);
    expect(bridge.valuesCalls('frame')[0].args).not.toHaveProperty('group');

    model.groupByScope = true;
    const grouped = bridge.valuesCalls('frame')[1];
    expect(grouped.args).toMatchObject({ group: 'scope' });
    grouped.reply.resolve(
      valuesReply([
        row('lr', { scope: 'local', shadows: 'global' }),
        row('lr', { scope: 'global', shadows: null, path: [{ kind: 'global', name: 'lr' }] })
      ])
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(model.visibleGroups.map(g => g.label)).toEqual(['Local', 'Global']);

    model.groupByScope = false;
    expect(bridge.valuesCalls('frame')[2].args).not.toHaveProperty('group');
  });

  it('starts grouped when the setting says so, and follows a change of the setting', async () => {
    bridge.autoReply = () => valuesReply([row('lr', { scope: 'global', shadows: null })]);
    start({ groupByScope: true });
    await jest.advanceTimersByTimeAsync(0);
    expect(model.groupByScope).toBe(true);
    expect(bridge.valuesCalls('globals')[0].args).toMatchObject({ group: 'scope' });
    expect(model.visibleGroups.map(g => g.label)).toEqual(['Global']);
    service.settings = { ...service.settings, groupByScope: false };
    expect(model.groupByScope).toBe(false);
    await jest.advanceTimersByTimeAsync(0);
    expect(model.visibleGroups.map(g => g.label)).toEqual([null]);
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

  it('reveals a masked row on request only, until the values are read again', async () => {
    const secret = row('api_token', { kind: 'text', summary: '•••••• (secret: masked)', masked: true });
    bridge.autoReply = op => {
      switch (op) {
        case 'values':
          return valuesReply([secret]);
        case 'reveal':
          return { row: { ...secret, summary: "'tok-123'", masked: false }, number: null };
        default:
          return { text: "'tok-123'", truncated: false };
      }
    };
    start();
    await jest.advanceTimersByTimeAsync(0);
    const key = rowKey(secret.path);
    expect(model.revealed(key)).toBeUndefined();

    await service.reveal(secret);
    expect(bridge.calls[1]).toMatchObject({
      op: 'reveal',
      args: { scope: { kind: 'globals' }, target: { path: secret.path } }
    });
    expect(model.revealed(key)?.summary).toBe("'tok-123'");
    // The repr of a revealed row is asked unmasked too; of any other, masked.
    await service.showRepr(secret);
    expect(bridge.calls[2]).toMatchObject({ op: 'repr', args: { reveal: true } });

    // The next read of the values masks it again, its repr with it.
    await service.refresh();
    expect(model.revealed(key)).toBeUndefined();
    expect(model.repr(key)).toBeUndefined();
    await service.showRepr(secret);
    expect((bridge.calls[4].args as IOperations['repr']['args']).reveal).toBeUndefined();
  });
});
