import { CommandRegistry } from '@lumino/commands';
import { nullTranslator } from '@jupyterlab/translation';
import { ProbeError } from '../kernel/protocol';
import { FakeDebugger, FakeExecutions, FakeTracker, fakeNotebook } from '../live/testing/fakes';
import { crashAttention } from './attention';
import { CrashBody } from './body';
import { CrashModel } from './model';
import { decodeCrashReport } from './reports';
import { CrashService } from './service';
import { FakeCrashBridges, FakeServer, hang, outside, report, segfaultJson } from './testing/samples';

const CLASS = 'jp-MLDebuggerCrash';
const trans = nullTranslator.load('jupyterlab_ml_debugger');
const IDS = { dismiss: 'test:dismiss', readOutside: 'test:outside', showCell: 'test:cell' };

function setup(options: { shown?: boolean } = {}) {
  const tracker = new FakeTracker();
  const bridges = new FakeCrashBridges();
  const executions = new FakeExecutions();
  const server = new FakeServer();
  const nb = fakeNotebook('k1');
  tracker.currentWidget = nb;
  const bridge = bridges.bridgeFor(nb.sessionContext.session.kernel);
  const model = new CrashModel();
  model.isShown = options.shown ?? true;
  const service = new CrashService({
    debugger: new FakeDebugger() as never,
    notebookTracker: tracker as never,
    bridges,
    server,
    model,
    executions,
    settings: { refreshInterval: 1000, requestTimeoutMs: 10000, hangThresholdSeconds: 30 },
    retryAfterDeathMs: [0, 20, 40]
  });
  const commands = new CommandRegistry();
  const ran: { id: string; args: unknown }[] = [];
  const shownCells = new Set(['cell-7', 'cell-2']);
  commands.addCommand(IDS.dismiss, { execute: args => void ran.push({ id: IDS.dismiss, args }) });
  commands.addCommand(IDS.readOutside, { execute: args => void ran.push({ id: IDS.readOutside, args }) });
  commands.addCommand(IDS.showCell, {
    isEnabled: args => shownCells.has(args.cellId as string),
    execute: args => void ran.push({ id: IDS.showCell, args })
  });
  const body = new CrashBody({ model, commands, commandIds: IDS });
  const text = () => body.node.textContent ?? '';
  const flush = () => new Promise(resolve => setTimeout(resolve, 0));
  return { tracker, bridges, bridge, executions, server, nb, model, service, body, text, ran, flush };
}

afterEach(() => {
  jest.useRealTimers();
});

describe('Crash report', () => {
  it('is read for the current kernel on load and shows how it ended, the cause and the last cell as a link', async () => {
    const s = setup();
    s.server.stored.set('k1', [decodeCrashReport(segfaultJson())]);
    await s.service.refresh();
    expect(s.server.reportCalls[0]).toBe('k1');
    const shown = s.body.node.querySelector(`.${CLASS}-report`)!;
    expect(shown.querySelector(`.${CLASS}-ending`)?.textContent).toBe(
      'Ended by SIGSEGV (signal 11): segmentation fault: a read or write of memory the process does not own'
    );
    expect(shown.querySelector(`.${CLASS}-cause`)?.textContent).toBe(
      'Segmentation fault in a C extension while running `model(x)` in In [7], line 3.'
    );
    const link = shown.querySelector(`button.${CLASS}-cellLink`) as HTMLButtonElement;
    expect(link.textContent).toBe('In [7], line 3, in the cell that begins `y = model(x)`');
    link.click();
    expect(s.ran).toEqual([{ id: IDS.showCell, args: { cellId: 'cell-7' } }]);
    s.service.dispose();
  });

  it('lists the thread that received the signal first, open, and the last memory against the limit', async () => {
    const s = setup();
    s.server.stored.set('k1', [decodeCrashReport(segfaultJson())]);
    await s.service.refresh();
    const threads = Array.from(s.body.node.querySelectorAll(`details.${CLASS}-thread`)) as HTMLDetailsElement[];
    expect(threads.map(t => [t.querySelector(`.${CLASS}-name`)?.textContent, t.open])).toEqual([
      ['Thread 0x7f00', true],
      ['Thread 0x7f01', false]
    ]);
    expect(threads[0].querySelector(`.${CLASS}-current`)?.textContent).toBe('received the signal');
    expect(threads[0].querySelectorAll(`.${CLASS}-frame .${CLASS}-function`)[0].textContent).toBe('string_at');
    const memory = s.body.node.querySelector(`.${CLASS}-memory`)!;
    expect(memory.querySelector('svg')?.getAttribute('aria-label')).toBe('Resident memory over the last 3 samples');
    expect(memory.textContent).toContain('Resident memory: 130.0 MiB of a 2.0 GiB limit, 0 s before the end (last 3 samples)');
    s.service.dispose();
  });

  it('writes the kernel’s texts as text, never as HTML', async () => {
    const s = setup();
    s.server.stored.set('k1', [report({ cause: '<img src=x onerror=alert(1)> died', lastCell: { executionCount: 1, cellId: null, firstLine: '<b>x</b>', line: 1 } })]);
    await s.service.refresh();
    expect(s.body.node.querySelector('img, b')).toBeNull();
    expect(s.text()).toContain('<img src=x onerror=alert(1)> died');
    // No cell id: the line is text, not a link.
    expect(s.body.node.querySelector(`.${CLASS}-cellLink`)).toBeNull();
    expect(s.body.node.querySelector(`.${CLASS}-cellText`)?.textContent).toBe('In [1], line 1, in the cell that begins `<b>x</b>`');
    s.service.dispose();
  });

  it('says an exit code, and that no stacks could be written for a SIGKILL', async () => {
    const s = setup();
    s.server.stored.set('k1', [report({ id: 'r2', signal: null, signalName: null, signalMeaning: null, exitCode: 3 })]);
    await s.service.refresh();
    expect(s.body.node.querySelector(`.${CLASS}-ending`)?.textContent).toBe('Exited with code 3');
    expect(s.text()).toContain('No stacks were written');
    s.service.dispose();
  });

  it('is read again after the kernel dies until the server has written it, and survives the restart', async () => {
    const s = setup();
    await s.service.refresh();
    expect(s.text()).toContain('No crash or hang for this kernel.');
    const before = s.server.reportCalls.length;
    s.nb.sessionContext.statusChanged.emit('autorestarting');
    await s.flush();
    // The server writes the report a moment after the death.
    s.server.stored.set('k1', [report()]);
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(s.server.reportCalls.length).toBeGreaterThan(before + 1);
    expect(s.body.node.querySelector(`.${CLASS}-report`)).not.toBeNull();
    const calls = s.server.reportCalls.length;
    await new Promise(resolve => setTimeout(resolve, 60));
    // Found: the retries stop.
    expect(s.server.reportCalls.length).toBe(calls);
    s.nb.sessionContext.statusChanged.emit('idle');
    await s.flush();
    expect(s.body.node.querySelector(`.${CLASS}-ending`)?.textContent).toContain('Ended by SIGKILL (signal 9)');
    s.service.dispose();
  });

  it('is dismissed through the server, and the next one shows', async () => {
    const s = setup();
    s.server.stored.set('k1', [report(), report({ id: 'r0', cause: 'An older death.' })]);
    await s.service.refresh();
    expect(s.text()).toContain('1 earlier crash report of this kernel');
    const button = s.body.node.querySelector(`button.${CLASS}-dismiss`) as HTMLButtonElement;
    expect(button.textContent).toBe('Dismiss');
    button.click();
    expect(s.ran.map(r => r.id)).toEqual([IDS.dismiss]);
    await s.service.dismiss();
    expect(s.server.dismissed).toEqual(['r1']);
    expect(s.body.node.querySelector(`.${CLASS}-cause`)?.textContent).toBe('An older death.');
    await s.service.dismiss();
    expect(s.text()).toContain('No crash or hang for this kernel.');
    s.service.dispose();
  });

  it('belongs to its kernel: another notebook’s kernel shows its own, or none', async () => {
    const s = setup();
    s.server.stored.set('k1', [report()]);
    await s.service.refresh();
    const other = fakeNotebook('k2');
    s.tracker.switchTo(other);
    await s.flush();
    expect(s.server.reportCalls).toContain('k2');
    expect(s.body.node.querySelector(`.${CLASS}-report`)).toBeNull();
    expect(s.text()).toContain('No crash or hang for this kernel.');
    s.tracker.switchTo(null);
    expect(s.text()).toBe('Open a notebook with a kernel to see how its kernel ended or where a running cell hangs.');
    s.service.dispose();
  });

  it('says why the reports could not be read', async () => {
    const s = setup();
    s.server.failReports = new Error('The ML debugger’s server extension is not running, so crash reports cannot be read.');
    await s.service.refresh();
    expect(s.body.node.querySelector(`.${CLASS}-message-error`)?.textContent).toContain('server extension is not running');
    expect(s.text()).not.toContain('No crash or hang');
    s.service.dispose();
  });

  it('calls for attention from a background tab until dismissed, whether seen or not', async () => {
    const s = setup();
    const attention = crashAttention(s.model, trans);
    expect(attention.read().count).toBe(0);
    s.server.stored.set('k1', [report()]);
    await s.service.refresh();
    attention.seen();
    expect(attention.read()).toEqual({
      count: 1,
      reason: 'the kernel died: Killed by SIGKILL; not by the out-of-memory killer, whose count did not change.'
    });
    await s.service.dismiss();
    expect(attention.read().count).toBe(0);
    s.service.dispose();
  });

  it('loads the probe when shown, which arms the recorder, and says when it could not arm', async () => {
    const s = setup({ shown: false });
    s.bridge.recorder = { armed: false, reason: 'The kernel has no connection file.' };
    await s.flush();
    expect(s.bridge.connects).toBe(0);
    s.model.isShown = true;
    await s.flush();
    expect(s.bridge.connects).toBe(1);
    expect(s.body.node.querySelector(`.${CLASS}-recorder`)?.textContent).toBe(
      'The crash recorder is not armed: The kernel has no connection file.'
    );
    s.service.dispose();
  });
});

describe('Hang', () => {
  it('is read while a cell runs, with the threshold setting, and shows since when, the stack, the wait and the workers', async () => {
    const s = setup();
    s.bridge.autoReply = () => hang();
    s.executions.start(s.nb);
    await s.service.refresh();
    const call = s.bridge.calls.find(c => c.op === 'hang');
    expect(call?.args).toEqual({ threshold_s: 30 });
    const flag = s.body.node.querySelector(`.${CLASS}-hangFlag`)?.textContent ?? '';
    expect(flag).toMatch(/^Hang since .+ \(42 s at the same line\): waiting, using no CPU\.$/);
    expect(s.body.node.querySelector(`.${CLASS}-waitsOn`)?.textContent).toBe('Waits on: a DataLoader worker that exited');
    expect(Array.from(s.body.node.querySelectorAll(`.${CLASS}-worker`)).map(w => w.textContent)).toEqual([
      'pid 101alive',
      'pid 102killed by SIGKILL',
      'pid 103exited with code 3'
    ]);
    expect(s.body.node.querySelector(`.${CLASS}-hang .${CLASS}-code`)?.textContent).toBe('batch = next(it)');
    expect(crashAttention(s.model, trans).read().count).toBe(1);
    s.executions.finish(s.nb);
    expect(s.body.node.querySelector(`.${CLASS}-hang`)).toBeNull();
    expect(s.text()).toContain('No crash or hang for this kernel.');
    s.service.dispose();
  });

  it('says a spinning cell holds one core in a native call, and a cell below the threshold is no hang', async () => {
    const s = setup();
    s.bridge.autoReply = () => hang({ kind: 'spinning', workers: [], waitsOn: null });
    s.executions.start(s.nb);
    await s.service.refresh();
    expect(s.body.node.querySelector(`.${CLASS}-hangFlag`)?.textContent).toContain('spinning, one core busy inside a native call');
    s.bridge.autoReply = () => hang({ hung: false, sinceS: 3, kind: null, workers: [], waitsOn: null });
    await s.service.refresh();
    expect(s.body.node.querySelector(`.${CLASS}-hangFlag`)?.textContent).toBe(
      'No hang: the main thread has stood at one line for 3 s; it is flagged after 30 s.'
    );
    expect(s.body.node.querySelector(`.${CLASS}-hang .${CLASS}-frames`)).toBeNull();
    s.service.dispose();
  });

  it('says the kernel does not answer and offers to read the stacks from outside, native frames marked', async () => {
    const s = setup();
    s.bridge.autoReply = () => {
      throw new ProbeError('timeout', 'The kernel did not answer within 10 s.');
    };
    s.executions.start(s.nb);
    await s.service.refresh();
    const stalled = s.body.node.querySelector(`.${CLASS}-stalled`)!;
    expect(stalled.textContent).toMatch(/^The kernel does not answer: nothing for 10 s while a cell runs\./);
    const button = stalled.querySelector(`button.${CLASS}-readOutside`) as HTMLButtonElement;
    expect(button.textContent).toBe('Read stacks from outside');
    button.click();
    expect(s.ran.map(r => r.id)).toEqual([IDS.readOutside]);

    const reading = s.service.readOutside();
    expect(s.server.stacksCalls).toEqual(['k1']);
    expect(s.text()).toContain('Reading the stacks from outside the kernel…');
    s.server.stacks!.resolve(outside());
    await reading;
    const frames = Array.from(s.body.node.querySelectorAll(`.${CLASS}-outside .${CLASS}-frame`));
    expect(frames.map(f => [f.classList.contains('jp-mod-native'), f.querySelector(`.${CLASS}-native`)?.textContent ?? null])).toEqual([
      [true, 'native'],
      [false, null]
    ]);
    expect(s.body.node.querySelector(`.${CLASS}-outside summary`)?.textContent).toBe('MainThreadactive, holds the GIL');
    s.service.dispose();
  });

  it('shows the route’s sentence when the stacks cannot be read from outside', async () => {
    const s = setup();
    s.bridge.autoReply = () => {
      throw new ProbeError('timeout', 'The kernel did not answer within 10 s.');
    };
    s.executions.start(s.nb);
    await s.service.refresh();
    const reading = s.service.readOutside();
    s.server.stacks!.resolve(
      outside({ ok: false, threads: [], message: 'Reading another process is not permitted (ptrace_scope is 1). Set kernel.yama.ptrace_scope to 0, or give Jupyter CAP_SYS_PTRACE.' })
    );
    await reading;
    expect(s.body.node.querySelector(`.${CLASS}-outside`)?.textContent).toBe(
      'Reading another process is not permitted (ptrace_scope is 1). Set kernel.yama.ptrace_scope to 0, or give Jupyter CAP_SYS_PTRACE.'
    );
    s.service.dispose();
  });

  it('is not read while the view is closed, and never on a kernel without a subshell', async () => {
    const s = setup({ shown: false });
    s.bridge.autoReply = () => hang();
    s.executions.start(s.nb);
    await s.service.refresh();
    expect(s.bridge.calls).toHaveLength(0);
    s.bridge.transport = 'shell';
    s.bridge.message = 'Live view needs ipykernel 7 or newer.';
    s.model.isShown = true;
    await s.flush();
    expect(s.bridge.calls).toHaveLength(0);
    expect(s.body.node.querySelector(`.${CLASS}-message-error`)?.textContent).toBe('Live view needs ipykernel 7 or newer.');
    s.service.dispose();
  });
});
