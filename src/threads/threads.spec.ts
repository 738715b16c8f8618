import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { IThreads } from '../kernel/liveProtocol';
import { ProbeError } from '../kernel/protocol';
import { FakeBridges, FakeDebugger, FakeExecutions, FakeTracker, fakeNotebook } from '../live/testing/fakes';
import { nullTranslator } from '@jupyterlab/translation';
import { ThreadsBody } from './body';
import { BlockingModuleFilter, ThreadStateFilter } from './filterBar';
import { ThreadsModel } from './model';
import { ThreadsService } from './service';
import { blocked, deadlockSample, lockWait, quietSample, thread } from './testing/samples';

const CLASS = 'jp-MLDebuggerThreads';

function setup(settings: Partial<ThreadsService.ISettings> = {}) {
  const debug = new FakeDebugger();
  const tracker = new FakeTracker();
  const bridges = new FakeBridges();
  const executions = new FakeExecutions();
  const nb = fakeNotebook('k1');
  tracker.currentWidget = nb;
  const bridge = bridges.bridgeFor(nb.sessionContext.session.kernel);
  const model = new ThreadsModel();
  const service = new ThreadsService({
    debugger: debug as unknown as IDebugger,
    notebookTracker: tracker as unknown as INotebookTracker,
    bridges,
    model,
    executions,
    settings: { refreshInterval: 2000, requestTimeoutMs: 10000, ...settings }
  });
  const body = new ThreadsBody({ model });
  const calls = () => bridge.calls.filter(c => c.op === 'threads');
  const text = () => body.node.textContent ?? '';
  return { debug, tracker, bridge, executions, nb, model, service, body, calls, text };
}

/** The Threads section read once while a cell runs, answered with `sample`. */
async function shown(sample: IThreads) {
  const s = setup();
  s.bridge.autoReply = () => sample;
  s.executions.start(s.nb);
  await s.service.refresh();
  return s;
}

function threadNode(body: ThreadsBody, id: number): HTMLDetailsElement {
  return body.node.querySelector(`.${CLASS}-thread[data-thread-id="${id}"]`) as HTMLDetailsElement;
}

afterEach(() => {
  jest.useRealTimers();
});

describe('Threads section', () => {
  it('drops a deadlock read from a kernel that restarts, since its threads are gone', async () => {
    const { body, bridge, nb, service } = await shown(deadlockSample());
    expect(body.node.querySelector(`.${CLASS}-deadlock`)).not.toBeNull();
    bridge.autoReply = null;
    nb.sessionContext.statusChanged.emit('restarting');
    await Promise.resolve();
    expect(body.node.querySelector(`.${CLASS}-deadlock`)).toBeNull();
    service.dispose();
  });

  it('draws a deadlock as a chain of threads and locks, with the probe sentence and what to do', async () => {
    const { body, service } = await shown(deadlockSample());
    const block = body.node.querySelector(`.${CLASS}-deadlock`);
    expect(block?.getAttribute('role')).toBe('group');
    const chain = block?.querySelector(`.${CLASS}-chain`);
    expect(chain?.textContent).toBe(
      'MainThread → waits for cs2 → held by worker → waits for cs1 → held by MainThread'
    );
    expect(chain?.getAttribute('aria-label')).toBe(chain?.textContent);
    expect(block?.querySelectorAll('[role="listitem"]')).toHaveLength(5);
    expect(block?.textContent).toContain('MainThread and worker wait for each other: a deadlock.');
    expect(block?.textContent).toContain('interrupt the kernel');
    expect(threadNode(body, 1).querySelector(`.${CLASS}-wait`)?.textContent).toBe(
      'MainThread waits for cs2 (Lock), held by worker.'
    );
    service.dispose();
  });

  it('names the spiking thread at the top and marks its row', async () => {
    const { body, service } = await shown(deadlockSample());
    expect(body.node.querySelector(`.${CLASS}-spiking`)?.textContent).toBe(
      'Spiking thread: worker-2 uses 0.98 of a core'
    );
    const marked = body.node.querySelectorAll(`.${CLASS}-thread.jp-mod-spiking`);
    expect(marked).toHaveLength(1);
    expect(marked[0].querySelector(`.${CLASS}-name`)?.textContent).toBe('worker-2');
    expect(marked[0].querySelector(`.${CLASS}-cpu`)?.textContent).toBe('CPU 0.98');
    service.dispose();
  });

  it("folds the kernel's own threads under one line, and keeps the fold the user opened", async () => {
    const { body, service } = await shown(deadlockSample());
    const group = body.node.querySelector(`.${CLASS}-kernelThreads`) as HTMLDetailsElement;
    expect(group.querySelector('summary')?.textContent).toBe('kernel threads (3)');
    expect(group.open).toBe(false);
    expect(group.textContent).toContain('pydevd.Reader');
    expect(group.contains(threadNode(body, 1))).toBe(false);
    group.open = true;
    group.dispatchEvent(new Event('toggle'));
    await service.refresh();
    expect((body.node.querySelector(`.${CLASS}-kernelThreads`) as HTMLDetailsElement).open).toBe(true);
    service.dispose();
  });

  it("shows each thread's frames innermost first, with line, code and locals; library frames folded", async () => {
    const { body, service } = await shown(deadlockSample());
    const main = threadNode(body, 1);
    expect(main.querySelector('summary')?.textContent).toBe('MainThreadmainBlocked: waits for lock cs2threadingCPU 0.00');
    const frames = Array.from(main.querySelectorAll<HTMLDetailsElement>(`.${CLASS}-frame`));
    expect(frames.map(f => f.querySelector(`.${CLASS}-function`)?.textContent)).toEqual(['<module>', 'run_cell']);
    expect(frames[0].querySelector('summary')?.textContent).toBe('<module>line 9with cs2:');
    expect(frames[0].open).toBe(true);
    expect(frames[0].querySelector(`.${CLASS}-locals`)?.textContent).toContain('<locked _thread.lock>');
    expect(frames[1].open).toBe(false);
    // A run of library frames folds into one line, closed until opened.
    const library = main.querySelector<HTMLDetailsElement>(`.${CLASS}-libraryFrames`);
    expect(library?.querySelector('summary')?.textContent).toBe('1 library frame');
    expect(library?.open).toBe(false);
    expect(library?.contains(frames[1])).toBe(true);
    expect(main.querySelector(`.${CLASS}-more`)?.textContent).toBe('28 outer frames not shown');
    expect(body.node.querySelector('b, script')).toBeNull();
    service.dispose();
  });

  it("says 'owner unknown' for a Lock no frame shows held", async () => {
    const sample = quietSample();
    sample.threads.push(
      thread(5, 'loader', 'user', {
        ...blocked('waits for lock ready', 'threading'),
        wait: lockWait('ready', null, null, 'loader waits for ready (Lock).')
      })
    );
    const { body, service } = await shown(sample);
    expect(threadNode(body, 5).querySelector(`.${CLASS}-wait`)?.textContent).toBe(
      'loader waits for ready (Lock). owner unknown'
    );
    service.dispose();
  });

  it('asks nothing while idle until refreshed, shows it is loading, then when the stacks are from', async () => {
    const { service, calls, text, body } = setup();
    expect(text()).toBe('Run a cell to see its threads; refresh to read them now.');
    expect(calls()).toHaveLength(0);
    const done = service.refresh();
    expect(text()).toBe('Reading the threads…');
    expect(body.node.getAttribute('aria-busy')).toBe('true');
    calls()[0].reply.resolve(quietSample());
    await done;
    expect(text()).toMatch(/^No cell is running; the stacks are from .+\./);
    expect(text()).toContain('MainThread');
    service.dispose();
  });

  it('shows that no notebook is open', () => {
    const { tracker, service, text } = setup();
    tracker.switchTo(null);
    expect(text()).toBe('Open a notebook with a running kernel to see its threads.');
    service.dispose();
  });

  it('reads a running cell at the refresh interval, one request at a time, and once after it ends', async () => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    const { executions, nb, service, calls, text } = setup();
    executions.start(nb);
    expect(text()).toBe('A cell is running; its threads show in a moment.');
    await jest.advanceTimersByTimeAsync(300);
    expect(calls()).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(6000);
    expect(calls()).toHaveLength(1);
    calls()[0].reply.resolve(deadlockSample());
    await jest.advanceTimersByTimeAsync(0);
    expect(text()).toContain('Live: the running cell’s threads at');
    await jest.advanceTimersByTimeAsync(2000);
    expect(calls()).toHaveLength(2);
    calls()[1].reply.resolve(deadlockSample());
    await jest.advanceTimersByTimeAsync(0);
    executions.finish(nb);
    expect(calls()).toHaveLength(3);
    calls()[2].reply.resolve(quietSample());
    await jest.advanceTimersByTimeAsync(10000);
    expect(calls()).toHaveLength(3);
    expect(text()).toContain('No cell is running; the stacks are from');
    expect(text()).not.toContain('Deadlock');
    service.dispose();
  });

  it('reads a running cell at most once a second, however short the refresh interval', async () => {
    jest.useFakeTimers();
    jest.setSystemTime(0);
    const { bridge, executions, nb, service, calls } = setup({ refreshInterval: 500 });
    bridge.autoReply = () => deadlockSample();
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(300);
    expect(calls()).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(2700);
    // At 500 ms there would be six reads by now; the stacks and CPU shares move once a second.
    expect(calls().length).toBeLessThanOrEqual(4);
    expect(calls().length).toBeGreaterThanOrEqual(3);
    service.settings = { ...service.settings, refreshInterval: 5000 };
    const before = calls().length;
    await jest.advanceTimersByTimeAsync(4000);
    expect(calls().length).toBeLessThanOrEqual(before + 1);
    service.dispose();
  });

  it('asks nothing while the section is folded', async () => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    const { executions, nb, model, service, calls } = setup();
    model.isShown = false;
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(10000);
    expect(calls()).toHaveLength(0);
    model.isShown = true;
    await jest.advanceTimersByTimeAsync(300);
    expect(calls()).toHaveLength(1);
    service.dispose();
  });

  it('says the kernel is not answering on a timeout, keeps the last stacks, and recovers on the next reply', async () => {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    const { executions, nb, service, calls, text, body } = setup();
    executions.start(nb);
    await jest.advanceTimersByTimeAsync(300);
    calls()[0].reply.resolve(deadlockSample());
    await jest.advanceTimersByTimeAsync(2000);
    calls()[1].reply.reject(new ProbeError('timeout', 'The kernel did not answer within 10 s.'));
    await jest.advanceTimersByTimeAsync(0);
    const waiting = body.node.querySelector(`.${CLASS}-stalled`);
    expect(waiting?.textContent).toBe(
      'The kernel has not answered for 10 s: a C call may be holding the GIL. The view recovers when it returns.'
    );
    expect(waiting?.getAttribute('role')).toBe('status');
    expect(text()).toContain('worker-2');
    await jest.advanceTimersByTimeAsync(2000);
    expect(calls()).toHaveLength(3);
    calls()[2].reply.resolve(quietSample());
    await jest.advanceTimersByTimeAsync(0);
    expect(body.node.querySelector(`.${CLASS}-stalled`)).toBeNull();
    expect(text()).not.toContain('worker-2');
    service.dispose();
  });

  it("shows why a read failed, and the bridge's own message for a kernel without subshells", async () => {
    const { bridge, executions, nb, service, calls, text } = setup();
    const done = service.refresh();
    calls()[0].reply.reject(new ProbeError('internal', 'walk failed'));
    await done;
    expect(text()).toBe(
      'The debugger probe failed: walk failed. Press Refresh; please report this if it happens again.'
    );
    bridge.transport = 'shell';
    bridge.message = 'Live view needs a kernel with subshells: ipykernel 7 or newer.';
    executions.start(nb);
    expect(text()).toBe('Live view needs a kernel with subshells: ipykernel 7 or newer.');
    expect(calls()).toHaveLength(1);
    service.dispose();
  });
});

describe('Threads filter', () => {
  const trans = nullTranslator.load('jupyterlab_ml_debugger');

  /** The Threads body and its toolbar filters over one sample, as the user sees them. */
  async function filtered(sample: IThreads = deadlockSample()) {
    const s = await shown(sample);
    const state = new ThreadStateFilter(s.model, trans);
    const module = new BlockingModuleFilter(s.model, trans);
    const pick = (filter: ThreadStateFilter | BlockingModuleFilter, value: string) => {
      (filter.node as HTMLSelectElement).value = value;
      filter.node.dispatchEvent(new Event('change'));
    };
    const names = () =>
      Array.from(s.body.node.querySelectorAll(`.${CLASS}-thread .${CLASS}-name`), node => node.textContent);
    return { ...s, state, module, pick, names };
  }

  it('labels each row Active or Blocked with what it waits on and its blocking module', async () => {
    const { body, service } = await filtered();
    const state = (id: number) => threadNode(body, id).querySelector(`:scope > summary .${CLASS}-state`)?.textContent;
    expect(state(3)).toBe('Active');
    expect(state(2)).toBe('Blocked: waits for lock cs1');
    expect(threadNode(body, 2).querySelector(`:scope > summary .${CLASS}-module`)?.textContent).toBe('threading');
    expect(threadNode(body, 3).querySelector(`.${CLASS}-module`)).toBeNull();
    expect(threadNode(body, 12).dataset.state).toBe('blocked');
    service.dispose();
  });

  it('shows only the blocked threads, then only the active ones, and all again', async () => {
    const { pick, state, names, body, service } = await filtered();
    expect(names()).toEqual(['MainThread', 'worker', 'worker-2', 'Control', 'IOPub', 'pydevd.Reader']);
    pick(state, 'blocked');
    expect(names()).toEqual(['MainThread', 'worker', 'Control', 'pydevd.Reader']);
    expect(body.node.querySelector(`.${CLASS}-kernelThreads > summary`)?.textContent).toBe('kernel threads (2)');
    pick(state, 'active');
    expect(names()).toEqual(['worker-2', 'IOPub']);
    pick(state, 'all');
    expect(names()).toHaveLength(6);
    service.dispose();
  });

  it("offers the sample's blocking modules and shows only the threads blocked in the one picked", async () => {
    const { pick, module, names, model, service } = await filtered();
    const options = () => Array.from((module.node as HTMLSelectElement).options, option => option.text);
    expect(options()).toEqual(['Any blocking module', 'selectors', 'socket', 'threading']);
    pick(module, 'socket');
    expect(model.filter).toEqual({ state: 'all', module: 'socket' });
    expect(names()).toEqual(['pydevd.Reader']);
    pick(module, '');
    expect(names()).toHaveLength(6);
    service.dispose();
  });

  it('says no thread matches, and keeps the filter and its choice across samples', async () => {
    const { pick, state, module, names, text, service, bridge } = await filtered();
    pick(module, 'threading');
    pick(state, 'active');
    expect(names()).toEqual([]);
    expect(text()).toContain('No thread matches the filter.');
    // A later sample where nothing waits in threading: the choice stays, and so does the message.
    bridge.autoReply = () => quietSample();
    await service.refresh();
    expect((state.node as HTMLSelectElement).value).toBe('active');
    expect((module.node as HTMLSelectElement).value).toBe('threading');
    expect(text()).toContain('No thread matches the filter.');
    pick(state, 'all');
    pick(module, 'selectors');
    expect(names()).toEqual(['MainThread']);
    expect(text()).not.toContain('No thread matches');
    service.dispose();
  });
});
