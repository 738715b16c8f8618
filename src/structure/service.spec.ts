import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { IOperations, Scope } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import {
  FakeBridges,
  FakeDebugger,
  FakeExecutions,
  FakeTracker,
  fakeNotebook,
  frame
} from '../live/testing/fakes';
import { StructureModel } from './model';
import { StructureService } from './service';

const STRUCTURE = {
  type: 'Net',
  kind: 'module',
  summary: 'Net',
  object: { className: 'Net', module: '__main__', mro: [], metaclass: null, flavor: null, fields: [], attributes: [], slots: [], properties: [], methods: 0, shape: null },
  modules: null,
  truncated: false,
  cut: null,
  elapsedMs: 1
};

describe('StructureService', () => {
  const subject = { label: 'model', target: { path: [{ kind: 'name' as const, name: 'model' }] } };

  function setup() {
    const debug = new FakeDebugger();
    const tracker = new FakeTracker();
    const bridges = new FakeBridges();
    const executions = new FakeExecutions();
    const nb = fakeNotebook('k1', ['def f(model):\n  return model']);
    tracker.currentWidget = nb;
    const bridge = bridges.bridgeFor(nb.sessionContext.session.kernel);
    bridge.autoReply = () => STRUCTURE;
    const model = new StructureModel();
    const service = new StructureService({
      debugger: debug as unknown as IDebugger,
      notebookTracker: tracker as unknown as INotebookTracker,
      bridges,
      model,
      executions
    });
    const scopes = () =>
      bridge.calls.filter(c => c.op === 'structure').map(c => (c.args as IOperations['structure']['args']).scope as Scope);
    return { debug, executions, nb, bridge, model, service, scopes };
  }

  it('reads the value where the debugger stands, again at every stop, and not while a cell runs', async () => {
    const { debug, executions, nb, model, service, scopes } = setup();
    await service.show(subject);
    expect(scopes()).toEqual([{ kind: 'globals' }]);
    expect(model.status).toBe('ready');

    executions.start(nb);
    expect(scopes()).toHaveLength(1);

    debug.model.callstack.stopAt([frame(3, 'f', '/tmp/ipykernel_1/28.py', 2)], 0);
    await Promise.resolve();
    expect(scopes()[1]).toMatchObject({ kind: 'frame', index: 0 });
    service.dispose();
  });

  it('shows the reason when the value is gone, and reads nothing before a value is chosen', async () => {
    const { bridge, model, service, debug, scopes } = setup();
    debug.model.callstack.stopAt([frame(3, 'f', '/tmp/ipykernel_1/28.py', 2)], 0);
    expect(scopes()).toHaveLength(0);
    bridge.autoReply = () => {
      throw new ProbeError('no-value', "'model' is no longer defined");
    };
    await service.show(subject);
    expect(model.status).toBe('error');
    expect(model.message).toMatch(/no longer exists/);
    service.dispose();
  });

  it('walks nothing while the section is folded, and catches up when it opens', async () => {
    const { model, service, scopes } = setup();
    await service.show(subject);
    expect(scopes()).toHaveLength(1);
    model.isShown = false;
    await service.refresh();
    expect(scopes()).toHaveLength(1);
    model.isShown = true;
    await Promise.resolve();
    expect(scopes()).toHaveLength(2);
    service.dispose();
  });
});
