import { Notification } from '@jupyterlab/apputils';
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker, Notebook } from '@jupyterlab/notebook';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { FakeBridges, FakeDebugger, FakeExecutions, FakeTracker, fakeNotebook } from '../live/testing/fakes';
import { BreakInState } from './breakIn';
import { addThreadsCommands, ThreadsCommandIDs } from './commands';
import { ThreadsModel } from './model';
import { ThreadsService } from './service';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

const ON_TOO_LATE =
  'Break In needs the debugger on before the cell starts; switch it on and run the cell again';
const SWITCH_ON = 'Switch the debugger on before running the cell to Break In';

/** The debug session: the one wire of Break-In, answering DAP as debugpy does. */
class Session {
  constructor(readonly connection: { kernel: { id: string } }) {}
  requests: { command: string; args: unknown }[] = [];
  async sendRequest(command: string, args: unknown) {
    this.requests.push({ command, args });
    if (command === 'threads') {
      return {
        success: true,
        body: {
          threads: [
            { id: 4, name: 'Thread-3 (worker)' },
            { id: 9, name: 'MainThread' }
          ]
        }
      };
    }
    return { success: true, body: {} };
  }
}

class Debugger {
  isStarted = false;
  session: Session | null = null;
  model = { callstack: { frame: null as unknown, currentFrameChanged: new Signal<this, unknown>(this) } };
  sessionChanged = new Signal<this, unknown>(this);
  eventMessage = new Signal<this, unknown>(this);
  stopped = new Signal<this, unknown>(this);
}

function setup() {
  const debug = new Debugger();
  const tracker = new FakeTracker();
  const executions = new FakeExecutions();
  const nb = fakeNotebook('k1');
  tracker.currentWidget = nb;
  const kernel = nb.sessionContext.session.kernel;
  debug.session = new Session({ kernel });
  const notebook = nb.content as unknown as Notebook;
  const state = new BreakInState({
    debugger: debug as unknown as BreakInState.IDebugService,
    executions,
    kernelOf: n => (n === notebook ? kernel : null),
    trans
  });
  const service = new ThreadsService({
    debugger: new FakeDebugger() as unknown as IDebugger,
    notebookTracker: tracker as unknown as INotebookTracker,
    bridges: new FakeBridges(),
    model: new ThreadsModel(),
    executions
  });
  const commands = new CommandRegistry();
  addThreadsCommands(commands, service, state, { trans, notebook: () => notebook, reveal: () => undefined });
  const id = ThreadsCommandIDs.breakIn;
  const shown = () => ({ label: commands.label(id), enabled: commands.isEnabled(id) });
  const sent = () => debug.session?.requests ?? [];
  const notes = () => Notification.manager.notifications.map(n => n.message);
  return { debug, executions, nb, notebook, state, service, commands, id, shown, sent, notes };
}

afterEach(() => {
  Notification.manager.dismiss();
});

describe('Break In', () => {
  it('pauses the running cell on its main thread when the debugger was on before the cell started', async () => {
    const { debug, executions, nb, commands, id, shown, sent, service } = setup();
    debug.isStarted = true;
    expect(shown()).toEqual({ label: 'Break In (pause the running cell)', enabled: false });
    executions.start(nb);
    expect(shown()).toEqual({ label: 'Break In (pause the running cell)', enabled: true });
    await commands.execute(id);
    expect(sent()).toEqual([
      { command: 'threads', args: {} },
      { command: 'pause', args: { threadId: 9 } }
    ]);
    debug.model.callstack.frame = { id: 1 };
    expect(shown().enabled).toBe(false);
    service.dispose();
  });

  it('sends no pause to a cell started before the debugger was switched on, and says why', async () => {
    const { debug, executions, nb, commands, id, shown, sent, notes, service } = setup();
    executions.start(nb);
    debug.isStarted = true;
    expect(shown()).toEqual({ label: ON_TOO_LATE, enabled: true });
    expect(commands.caption(id)).toBe(ON_TOO_LATE);
    await commands.execute(id);
    expect(sent()).toEqual([]);
    expect(notes()).toEqual([ON_TOO_LATE]);
    service.dispose();
  });

  it('asks to switch the debugger on when it is off, and pauses nothing', async () => {
    const { executions, nb, commands, id, shown, sent, notes, service } = setup();
    expect(shown()).toEqual({ label: SWITCH_ON, enabled: false });
    executions.start(nb);
    expect(shown()).toEqual({ label: SWITCH_ON, enabled: true });
    await commands.execute(id);
    expect(sent()).toEqual([]);
    expect(notes()).toEqual([SWITCH_ON]);
    service.dispose();
  });

  it('counts a debugger on for another kernel as off', () => {
    const { debug, executions, nb, shown, service } = setup();
    debug.isStarted = true;
    debug.session = new Session({ kernel: { id: 'k2' } });
    executions.start(nb);
    expect(shown().label).toBe(SWITCH_ON);
    service.dispose();
  });

  it('is disabled again when the cell ends or the kernel restarts', () => {
    const { debug, executions, nb, notebook, state, shown, service } = setup();
    debug.isStarted = true;
    executions.start(nb);
    executions.start(nb);
    executions.finish(nb);
    expect(shown().enabled).toBe(true);
    executions.finish(nb);
    expect(shown().enabled).toBe(false);
    executions.start(nb);
    state.forget(notebook);
    expect(shown().enabled).toBe(false);
    service.dispose();
  });

  it('says so when the debugger lists no main thread, and pauses nothing', async () => {
    const { debug, executions, nb, state, sent, service } = setup();
    debug.isStarted = true;
    executions.start(nb);
    const session = new Session({ kernel: nb.sessionContext.session.kernel });
    session.sendRequest = async (command: string, args: unknown) => {
      session.requests.push({ command, args });
      return { success: true, body: { threads: [{ id: 4, name: 'Thread-3 (worker)' }] } };
    };
    debug.session = session;
    await expect(state.breakIn(nb.content as unknown as Notebook)).rejects.toThrow(
      'The debugger lists no MainThread to pause'
    );
    expect(sent().map(r => r.command)).toEqual(['threads']);
    service.dispose();
  });
});
