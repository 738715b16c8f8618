import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { CommandRegistry } from '@lumino/commands';
import type { Operation } from '../kernel/protocol';
import {
  FakeBridges,
  FakeDebugger,
  FakeExecutions,
  FakeTracker,
  fakeNotebook,
  frame
} from '../live/testing/fakes';
import { ChecksBody } from './body';
import { ChecksModel } from './model';
import { ChecksService } from './service';

const FACTS = { name: 'input', shape: [4, 8], dtype: 'float32', device: 'cpu', nan: 0, inf: 0, min: -1, max: 2 };

const REPLIES: Record<string, unknown> = {
  scan: {
    findings: [{ path: 'model.fc2.weight.grad', shape: [10, 8], dtype: 'float32', device: 'cpu', nan: 3, inf: 0, first: [0, 4] }],
    tensors: 12,
    skipped: 4,
    truncated: false,
    cut: null,
    elapsed_ms: 2
  },
  nan_report: {
    watches: [{ label: 'model', modules: 5, mode: 'cpu', steps: 7 }],
    origin: {
      path: 'model.act',
      cls: 'LogAct',
      phase: 'forward',
      created: true,
      step: 7,
      inputs: [FACTS],
      outputs: [{ ...FACTS, name: 'output', nan: 2 }],
      weights: [],
      message: 'model.act (LogAct) created NaN in the forward pass'
    },
    health: {
      step: 7,
      params: [{ path: 'model.fc2.weight', grad_norm: 12.5, ratio: 3.1, update_ratio: null, flag: 'exploding', history: [0.5, 1.2, 12.5] }],
      update_note: null
    }
  },
  explain_error: {
    error: {
      id: 'e1',
      kind: 'linear',
      exception: 'RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x1568 and 392x10)',
      module: 'model.head',
      cls: 'Linear',
      expects: 'in_features=392',
      received: '[4, 1568]',
      where: { path: '/tmp/ipykernel_1/3.py', line: 12, name: 'forward' },
      message: 'model.head (Linear) expects in_features=392 but received [4, 1568] <b>here</b>'
    }
  },
  checked_step_report: { state: 'idle', findings: [] }
};

class Debugger extends FakeDebugger {
  evaluated: string[] = [];
  continued = 0;
  async evaluate(expression: string) {
    this.evaluated.push(expression);
    return { result: "'armed'", variablesReference: 0 };
  }
  async continue() {
    this.continued++;
  }
}

function setup() {
  const debug = new Debugger();
  const tracker = new FakeTracker();
  const bridges = new FakeBridges();
  const nb = fakeNotebook('k1', ['def step():\n  pass']);
  tracker.currentWidget = nb;
  const bridge = bridges.bridgeFor(nb.sessionContext.session.kernel);
  const replies = { ...REPLIES };
  bridge.autoReply = (op: Operation) => replies[op];
  const model = new ChecksModel();
  const executions = new FakeExecutions();
  const service = new ChecksService({
    debugger: debug as unknown as IDebugger,
    notebookTracker: tracker as unknown as INotebookTracker,
    bridges,
    model,
    executions
  });
  return { debug, bridge, model, service, replies, executions, nb };
}

describe('Checks', () => {
  it('shows what the probe found: the bad tensor, the origin, gradient health and the explained error, as text', async () => {
    const { model, service } = setup();
    const body = new ChecksBody({ model, commands: new CommandRegistry(), unwatchCommand: 'unwatch' });
    await service.refresh();
    const text = body.node.textContent ?? '';
    expect(text).toContain('model.fc2.weight.grad');
    expect(text).toContain('model.act (LogAct) created the first NaN/Inf in the forward pass of step 7');
    expect(text).toContain('Watching model: 5 modules, 7 steps');
    expect(body.node.querySelector('.jp-MLDebuggerChecks-flagged')?.textContent).toContain('exploding');
    expect(body.node.querySelector('.jp-MLDebuggerChecks-health svg')).not.toBeNull();
    expect(text).toContain('expects in_features=392 but received [4, 1568] <b>here</b>');
    expect(body.node.querySelector('b')).toBeNull();
    body.dispose();
    service.dispose();
  });

  it('watches for origins only when asked, and says the watch keeps no gradient health', async () => {
    const { bridge, model, service, replies } = setup();
    const body = new ChecksBody({ model, commands: new CommandRegistry(), unwatchCommand: 'unwatch' });
    replies.nan_watch = { on: true, modules: 5, mode: 'cpu', note: 'no gradient health: origins only' };
    replies.nan_report = { watches: [{ label: 'model', modules: 5, mode: 'cpu', steps: 3, health: false }], origin: null, health: null };
    await service.watchNonfinite({ expression: 'model' }, true, { health: false });
    expect(bridge.calls.find(c => c.op === 'nan_watch')?.args).toMatchObject({ on: true, health: false });
    expect(body.node.textContent).toContain('Watching model for origins only, without gradient health: 5 modules, 3 steps');
    expect(body.node.querySelector('.jp-MLDebuggerChecks-health')).toBeNull();
    await service.watchNonfinite({ expression: 'model' }, true);
    expect(bridge.calls.filter(c => c.op === 'nan_watch')[1].args).not.toHaveProperty('health');
    body.dispose();
    service.dispose();
  });

  it('ends an armed checked step at the next stop, from the stopped thread', async () => {
    const { debug, model, service, replies } = setup();
    replies.checked_step_report = { state: 'armed', findings: [] };
    const done = {
      state: 'done',
      findings: [{ kind: 'broadcast', message: 'loss grew from [8] and [8, 1] to [8, 8]', path: '/tmp/ipykernel_1/20.py', line: 2 }]
    };
    const evaluate = debug.evaluate.bind(debug);
    debug.evaluate = async (expression: string) => {
      replies.checked_step_report = done;
      return evaluate(expression);
    };
    debug.model.callstack.stopAt([frame(1, 'step', '/tmp/ipykernel_1/20.py', 2)], 0);
    await service.refresh();
    expect(debug.evaluated).toEqual(['__import__("_jupyterlab_ml_debugger_checked").disarm()']);
    expect(model.checkedStep?.state).toBe('done');
    expect(model.checkedStep?.findings[0].message).toContain('[8, 8]');
    service.dispose();
  });

  it('starts a checked step in the stopped frame and continues; refuses when nothing is stopped', async () => {
    const { debug, service } = setup();
    await expect(service.runCheckedStep()).rejects.toThrow(/Stop at a breakpoint/);
    debug.model.callstack.stopAt([frame(1, 'step', '/tmp/ipykernel_1/20.py', 2)], 0);
    await service.runCheckedStep();
    expect(debug.evaluated).toContain('__import__("_jupyterlab_ml_debugger_checked").arm()');
    expect(debug.continued).toBe(1);
    service.dispose();
  });

  it('says what failed and keeps the rest when one check fails', async () => {
    const { bridge, model, service } = setup();
    bridge.autoReply = (op: Operation) => {
      if (op === 'scan') {
        throw new Error('boom');
      }
      return REPLIES[op];
    };
    await service.refresh();
    expect(model.scan).toBeNull();
    expect(model.report?.origin?.path).toBe('model.act');
    expect(model.message).toMatch(/boom/);
    service.dispose();
  });

  it('lets an explained error go once a later cell runs clean, and shows the next one', async () => {
    const { model, service, replies, executions, nb } = setup();
    await service.refresh();
    expect(model.shapeError?.module).toBe('model.head');
    const done = (success: boolean) =>
      executions.executed.emit({ notebook: nb.content, success } as unknown as { notebook: never });
    done(true);
    await service.refresh();
    expect(model.shapeError).toBeNull();
    const explained = REPLIES.explain_error as { error: Record<string, unknown> };
    replies.explain_error = { error: { ...explained.error, id: 'e2', module: 'model.body' } };
    done(false);
    await service.refresh();
    expect(model.shapeError?.module).toBe('model.body');
    service.dispose();
  });
});

describe('Checks when folded', () => {
  it('reads nothing while the section is folded, and catches up when it opens', async () => {
    const { bridge, model, service } = setup();
    model.isShown = false;
    await service.refresh();
    expect(bridge.calls).toHaveLength(0);
    model.isShown = true;
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(bridge.calls.map(c => c.op)).toContain('scan');
    service.dispose();
  });
});
