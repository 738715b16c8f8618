import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { CommandRegistry } from '@lumino/commands';
import type { IModules } from '../kernel/liveProtocol';
import type { IOperations } from '../kernel/protocol';
import {
  FakeBridges,
  FakeDebugger,
  FakeExecutions,
  FakeTracker,
  fakeNotebook
} from '../live/testing/fakes';
import { ModulesBody } from './body';
import { addModulesCommands, ModulesCommandIDs } from './commands';
import { ModulesModel } from './model';
import { ModulesService } from './service';

const SITE = '/opt/conda/lib/python3.12/site-packages';

function reply(extra: Partial<IModules> = {}): IModules {
  return {
    modules: [
      { name: 'numpy', version: '2.1.0', path: `${SITE}/numpy/__init__.py`, origin: 'site', distribution: 'numpy' },
      { name: 'torch', version: '2.13.0', path: `${SITE}/torch/__init__.py`, origin: 'site', distribution: 'torch' },
      { name: 'json', version: null, path: '/opt/conda/lib/python3.12/json/__init__.py', origin: 'stdlib', distribution: null },
      { name: 'utils', version: null, path: '/home/me/project/utils.py', origin: 'local', distribution: null }
    ],
    flags: [
      { kind: 'missing', module: 'scikit-learn', message: 'scikit-learn is required but not installed.' },
      { kind: 'shadowed', module: 'utils', message: 'utils.py in the notebook directory hides the installed utils.' }
    ],
    requirements: null,
    total: 4,
    truncated: false,
    elapsedMs: 4,
    ...extra
  };
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0));

function setup() {
  const debug = new FakeDebugger();
  const tracker = new FakeTracker();
  const bridges = new FakeBridges();
  const executions = new FakeExecutions();
  const nb = fakeNotebook('k1', ['import torch']);
  tracker.currentWidget = nb;
  const bridge = bridges.bridgeFor(nb.sessionContext.session.kernel);
  bridge.autoReply = (_, args) => {
    const path = (args as IOperations['modules']['args']).requirements;
    return reply(path ? { requirements: { path, checked: 12, error: null } } : {});
  };
  const model = new ModulesModel();
  const service = new ModulesService({
    debugger: debug as unknown as IDebugger,
    notebookTracker: tracker as unknown as INotebookTracker,
    bridges,
    model,
    executions
  });
  const calls = () => bridge.calls.filter(c => c.op === 'modules');
  return { bridge, executions, nb, model, service, calls };
}

function names(body: ModulesBody): string[] {
  return Array.from(body.node.querySelectorAll('.jp-MLDebuggerModules-list tbody tr')).map(
    tr => tr.children[0].textContent ?? ''
  );
}

describe('Modules section', () => {
  it('lists the loaded modules with version, origin and the full path in the title, and filters by name', async () => {
    const { model, service } = setup();
    const body = new ModulesBody({ model });
    await service.read();
    expect(names(body)).toEqual(['numpy', 'torch', 'json', 'utils']);
    expect(body.node.querySelector('.jp-MLDebuggerModules-count')?.textContent).toBe('4 of 4 modules');
    const torch = body.node.querySelectorAll('.jp-MLDebuggerModules-list tbody tr')[1];
    expect(torch.children[1].textContent).toBe('2.13.0');
    expect(torch.children[2].textContent).toBe('site');
    expect((torch.children[3] as HTMLElement).title).toBe(`${SITE}/torch/__init__.py`);
    expect(torch.children[3].textContent).toBe('…/site-packages/torch/__init__.py');

    const input = body.node.querySelector('input') as HTMLInputElement;
    input.value = 'TO';
    input.dispatchEvent(new Event('input'));
    expect(names(body)).toEqual(['torch']);
    expect(body.node.querySelector('.jp-MLDebuggerModules-count')?.textContent).toBe('1 of 4 modules');
    // The input is kept, so typing goes on where it was.
    expect(body.node.querySelector('input')).toBe(input);
    input.value = 'pandas';
    input.dispatchEvent(new Event('input'));
    expect(names(body)).toEqual([]);
    expect(body.node.textContent).toContain('No loaded module name contains "pandas".');
    body.dispose();
    service.dispose();
  });

  it('shows the flags first, shadowed before missing, above the filter and the list', async () => {
    const { model, service } = setup();
    const body = new ModulesBody({ model });
    await service.read();
    const flags = Array.from(body.node.querySelectorAll('.jp-MLDebuggerModules-flag')).map(f => f.textContent);
    expect(flags).toEqual([
      'utils.py in the notebook directory hides the installed utils.',
      'scikit-learn is required but not installed.'
    ]);
    const first = body.node.querySelector('.jp-MLDebuggerModules-flag') as Node;
    const input = body.node.querySelector('input') as Node;
    expect(first.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    body.dispose();
    service.dispose();
  });

  it('checks against the requirements file asked for, keeps checking it, and says what it checked', async () => {
    const { model, service, calls, executions, nb } = setup();
    const body = new ModulesBody({ model });
    const commands = new CommandRegistry();
    let revealed = 0;
    addModulesCommands(commands, service, { trans: { __: (s: string) => s } as never, reveal: () => revealed++ });
    expect(commands.label(ModulesCommandIDs.checkRequirements)).toBe('Check Modules Against Requirements…');
    await commands.execute(ModulesCommandIDs.checkRequirements, { path: 'requirements.txt' });
    expect(revealed).toBe(1);
    expect(calls().map(c => c.args)).toEqual([{ requirements: 'requirements.txt' }]);
    expect(body.node.querySelector('.jp-MLDebuggerModules-requirements')?.textContent).toBe(
      'Checked 12 requirements in requirements.txt'
    );
    executions.start(nb);
    executions.finish(nb);
    await tick();
    expect(calls().map(c => c.args)).toEqual([{ requirements: 'requirements.txt' }, { requirements: 'requirements.txt' }]);
    body.dispose();
    service.dispose();
  });

  it('reads the requirements file of the setting, and shows the error sentence when it cannot be read', async () => {
    const { bridge, model, service, calls } = setup();
    const body = new ModulesBody({ model });
    bridge.autoReply = () =>
      reply({
        requirements: {
          path: 'reqs.txt',
          checked: 0,
          error: 'reqs.txt was not found in /home/me/project; check the path in the settings.'
        }
      });
    service.requirementsFile = 'reqs.txt';
    expect(service.requirementsPath).toBe('reqs.txt');
    await service.read();
    expect(calls()[0].args).toEqual({ requirements: 'reqs.txt' });
    expect(body.node.querySelector('.jp-MLDebuggerModules-message-error')?.textContent).toBe(
      'reqs.txt was not found in /home/me/project; check the path in the settings.'
    );
    expect(names(body)).toHaveLength(4);
    body.dispose();
    service.dispose();
  });

  it('reads when shown and after the cells ran, never while a cell runs or while folded', async () => {
    const { model, service, calls, executions, nb } = setup();
    model.isShown = false;
    await service.read();
    executions.start(nb);
    executions.finish(nb);
    await tick();
    expect(calls()).toHaveLength(0);
    model.isShown = true;
    await tick();
    expect(calls()).toHaveLength(1);
    executions.start(nb);
    await tick();
    expect(calls()).toHaveLength(1);
    executions.finish(nb);
    await tick();
    expect(calls()).toHaveLength(2);
    service.dispose();
  });

  it('"Show Loaded Modules" opens a folded section and reads the modules once', async () => {
    const { model, service, calls } = setup();
    model.isShown = false;
    const commands = new CommandRegistry();
    addModulesCommands(commands, service, {
      trans: { __: (s: string) => s } as never,
      reveal: () => (model.isShown = true)
    });
    expect(commands.label(ModulesCommandIDs.show)).toBe('Show Loaded Modules');
    await commands.execute(ModulesCommandIDs.show);
    await tick();
    expect(calls()).toHaveLength(1);
    expect(model.visible.map(m => m.name)).toContain('torch');
    service.dispose();
  });

  it('says what failed and what to do when the modules cannot be read', async () => {
    const { bridge, model, service } = setup();
    const body = new ModulesBody({ model });
    bridge.autoReply = () => {
      throw new Error('comm closed');
    };
    await service.read();
    const error = body.node.querySelector('.jp-MLDebuggerModules-message-error')?.textContent ?? '';
    expect(error).toContain('comm closed');
    expect(error).toContain('Press Refresh');
    expect((body.node.querySelector('input') as HTMLInputElement).hidden).toBe(true);
    body.dispose();
    service.dispose();
  });
});
