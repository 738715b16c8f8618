import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { CommandRegistry } from '@lumino/commands';
import type { ICounters } from '../kernel/liveProtocol';
import { ProbeError } from '../kernel/protocol';
import {
  FakeBridges,
  FakeDebugger,
  FakeExecutions,
  FakeTracker,
  fakeNotebook,
  frame
} from '../live/testing/fakes';
import { CountersBody } from './body';
import { addCountersCommands, CountersCommandIDs } from './commands';
import { formatBytes, formatCounter, formatDelta, formatShare } from './format';
import { CountersModel } from './model';
import { CountersService } from './service';

const GIB = 1024 ** 3;

function reply(extra: Partial<ICounters> = {}): ICounters {
  return {
    time: 1000,
    samples: 4,
    counters: [
      {
        id: 'rss',
        label: 'Resident memory',
        unit: 'bytes',
        value: 1.2 * GIB,
        history: [1.0 * GIB, 1.1 * GIB, null, 1.2 * GIB],
        note: null
      },
      {
        id: 'py_heap',
        label: 'Python heap',
        unit: 'bytes',
        value: null,
        history: [null, null, null, null],
        note: 'Run tracemalloc.start() in a cell to sample the Python heap.'
      },
      { id: 'threads', label: 'Threads', unit: 'count', value: 7, history: [7, 7, 7, 7], note: null }
    ],
    cpu: [
      { id: 1, name: 'MainThread', cpuMs: 1530, share: 0.85 },
      { id: 2, name: 'loader', cpuMs: 12, share: null }
    ],
    flags: [],
    elapsedMs: 3,
    ...extra
  };
}

function setup(settings: Partial<CountersService.ISettings> = {}) {
  const debug = new FakeDebugger();
  const tracker = new FakeTracker();
  const bridges = new FakeBridges();
  const executions = new FakeExecutions();
  const nb = fakeNotebook('k1', ['x = 1']);
  tracker.currentWidget = nb;
  const bridge = bridges.bridgeFor(nb.sessionContext.session.kernel);
  bridge.autoReply = () => reply();
  const model = new CountersModel();
  const service = new CountersService({
    debugger: debug as unknown as IDebugger,
    notebookTracker: tracker as unknown as INotebookTracker,
    bridges,
    model,
    executions,
    settings
  });
  const counterCalls = () => bridge.calls.filter(c => c.op === 'counters').length;
  return { debug, bridge, executions, nb, model, service, counterCalls };
}

describe('counter formatting', () => {
  it('reads bytes in binary units, counts plainly, and shares as a percentage of a core', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1.2 * GIB)).toBe('1.2 GiB');
    expect(formatBytes(340 * 1024 ** 2)).toBe('340 MiB');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatCounter(3051, 'count')).toBe('3051');
    expect(formatCounter(null, 'bytes')).toBe('—');
    expect(formatCounter(12300, 'ms')).toBe('12.3 s');
    expect(formatDelta(400)).toBe('+400');
    expect(formatDelta(-3)).toBe('-3');
    expect(formatShare(1.7)).toBe('170%');
  });
});

describe('Counters section', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows a row per counter with its value, a sparkline with gaps, its note, and CPU by thread', async () => {
    const { model, service } = setup();
    const body = new CountersBody({ model });
    expect(body.node.textContent).toContain('Counters are sampled while a cell runs and after each cell');
    await service.sample();
    const rows = Array.from(body.node.querySelectorAll('.jp-MLDebuggerCounters-row'));
    expect(rows.map(r => r.querySelector('.jp-MLDebuggerCounters-label')?.textContent)).toEqual([
      'Resident memory',
      'Python heap',
      'Threads'
    ]);
    expect(rows[0].querySelector('.jp-MLDebuggerCounters-value')?.textContent).toBe('1.2 GiB');
    expect(rows[2].querySelector('.jp-MLDebuggerCounters-value')?.textContent).toBe('7');
    // The unread third sample breaks the line in two.
    const path = rows[0].querySelector('svg path')?.getAttribute('d') ?? '';
    expect(path.match(/M/g)).toHaveLength(2);
    expect(rows[1].querySelector('.jp-MLDebuggerCounters-note')?.textContent).toContain('tracemalloc.start()');
    expect(body.node.querySelector('[data-counter^="cuda"]')).toBeNull();
    const cpu = body.node.querySelector('.jp-MLDebuggerCounters-cpu')?.textContent ?? '';
    expect(cpu).toContain('MainThread');
    expect(cpu).toContain('1.5 s');
    expect(cpu).toContain('85%');
    body.dispose();
    service.dispose();
  });

  it('puts leak flags first, with what grows by type and by container, and says when the search was cut', async () => {
    const { bridge, model, service } = setup();
    bridge.autoReply = () =>
      reply({
        flags: [
          {
            counter: 'rss',
            kind: 'memory-leak',
            message: 'Resident memory grew at each of the last 8 samples, by 400 MiB in all.',
            growth: 400 * 1024 ** 2,
            samples: 8,
            types: [{ type: 'Tensor', count: 1200, delta: 400, where: 'held in `history`' }],
            containers: [{ path: 'history', length: 5000, delta: 1000 }],
            cut: 'stopped after 200 ms'
          }
        ]
      });
    const body = new CountersBody({ model });
    await service.sample();
    const flag = body.node.querySelector('.jp-MLDebuggerCounters-flag');
    expect(body.node.children[1]).toBe(flag);
    expect(flag?.textContent).toContain('grew at each of the last 8 samples');
    const cells = (selector: string) => Array.from(flag?.querySelectorAll(selector) ?? []).map(td => td.textContent);
    const types = cells('.jp-MLDebuggerCounters-types td');
    expect(types).toEqual(['Tensor', '1200', '+400', 'held in `history`']);
    const containers = cells('.jp-MLDebuggerCounters-containers td');
    expect(containers).toEqual(['history', '5000', '+1000']);
    expect(flag?.textContent).toContain('cut short: stopped after 200 ms');
    body.dispose();
    service.dispose();
  });

  it('shows a container that only grows by its message, without repeating it in a table', async () => {
    const { bridge, model, service } = setup();
    bridge.autoReply = () =>
      reply({
        flags: [
          {
            counter: null,
            kind: 'container-leak',
            message: '`Processes._procinfo` grew by 31 entries in 60 s (never shrank).',
            growth: 31,
            samples: 24,
            types: [],
            containers: [{ path: 'Processes._procinfo', length: 31, delta: 31 }],
            cut: null
          }
        ]
      });
    const body = new CountersBody({ model });
    await service.sample();
    const flag = body.node.querySelector('.jp-MLDebuggerCounters-flag') as HTMLElement | null;
    expect(flag?.dataset.kind).toBe('container-leak');
    expect(flag?.textContent).toContain('`Processes._procinfo` grew by 31 entries in 60 s (never shrank).');
    expect(flag?.querySelector('.jp-MLDebuggerCounters-containers')).toBeNull();
    body.dispose();
    service.dispose();
  });

  it('samples at the interval only while a cell runs, once after the cell, and never when idle', async () => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    const { executions, nb, model, service, counterCalls } = setup({ refreshInterval: 2000 });
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(5000);
    expect(counterCalls()).toBeGreaterThanOrEqual(2);
    expect(counterCalls()).toBeLessThanOrEqual(3);
    expect(model.sampling).toBe(true);
    const during = counterCalls();
    executions.finish(nb);
    await jest.advanceTimersByTimeAsync(0);
    expect(counterCalls()).toBe(during + 1);
    expect(model.sampling).toBe(false);
    await jest.advanceTimersByTimeAsync(20000);
    expect(counterCalls()).toBe(during + 1);
    service.dispose();
  });

  it('samples at most once a second, however short the refresh interval', async () => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    const { executions, nb, service, counterCalls } = setup({ refreshInterval: 500 });
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(10000);
    expect(counterCalls()).toBeGreaterThanOrEqual(8);
    expect(counterCalls()).toBeLessThanOrEqual(11);
    service.dispose();
  });

  it('waits for each reply before arming the next sample', async () => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    const { bridge, executions, nb, service, counterCalls } = setup({ refreshInterval: 1000 });
    bridge.autoReply = null;
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(10000);
    expect(counterCalls()).toBe(1);
    bridge.calls[0].reply.resolve(reply());
    // The next sample waits for the shared clock's next tick: within 1.5 intervals.
    await jest.advanceTimersByTimeAsync(1500);
    expect(counterCalls()).toBe(2);
    service.dispose();
  });

  it('samples nothing while folded, and catches up when shown', async () => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    const { executions, nb, model, service, counterCalls } = setup();
    model.isShown = false;
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(10000);
    executions.finish(nb);
    await service.sample();
    await jest.advanceTimersByTimeAsync(0);
    expect(counterCalls()).toBe(0);
    model.isShown = true;
    await jest.advanceTimersByTimeAsync(0);
    expect(counterCalls()).toBe(1);
    expect(model.sample?.samples).toBe(4);
    service.dispose();
  });

  it('samples once at each stop', async () => {
    const { debug, model, service, counterCalls } = setup();
    debug.model.callstack.stopAt([frame(1, 'train', '/tmp/ipykernel_1/5.py', 3)], 0);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(counterCalls()).toBe(1);
    expect(model.sample?.counters[0].label).toBe('Resident memory');
    // Another frame of the same stop is no new sample.
    debug.model.callstack.select(frame(2, 'step', '/tmp/ipykernel_1/5.py', 9));
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(counterCalls()).toBe(1);
    service.dispose();
  });

  it('keeps the last sample and says the kernel is busy when a sample times out', async () => {
    const { bridge, model, service } = setup();
    const body = new CountersBody({ model });
    await service.sample();
    bridge.autoReply = () => {
      throw new ProbeError('timeout', 'The kernel did not answer within 10 s.');
    };
    await service.sample();
    expect(body.node.textContent).toContain('The kernel is busy');
    expect(body.node.textContent).toContain('sampling resumes');
    expect(body.node.querySelector('.jp-MLDebuggerCounters-value')?.textContent).toBe('1.2 GiB');
    body.dispose();
    service.dispose();
  });

  it('says what failed and what to do when sampling fails', async () => {
    const { bridge, model, service } = setup();
    const body = new CountersBody({ model });
    bridge.autoReply = () => {
      throw new Error('comm closed');
    };
    await service.sample();
    const error = body.node.querySelector('.jp-MLDebuggerCounters-message-error')?.textContent;
    expect(error).toContain('comm closed');
    expect(error).toContain('Press Refresh');
    body.dispose();
    service.dispose();
  });

  it('offers "Sample Counters" in the palette, which shows the section and samples', async () => {
    const { service, counterCalls } = setup();
    const commands = new CommandRegistry();
    let revealed = 0;
    addCountersCommands(commands, service, {
      trans: { __: (s: string) => s } as never,
      reveal: () => revealed++
    });
    expect(commands.label(CountersCommandIDs.sample)).toBe('Sample Counters');
    await commands.execute(CountersCommandIDs.sample);
    expect(revealed).toBe(1);
    expect(counterCalls()).toBe(1);
    service.dispose();
  });
});
