import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import type { IChainLink, IPostmortem, IThreadFrame } from '../kernel/liveProtocol';
import { ProbeError } from '../kernel/protocol';
import type { FakeNotebook } from '../live/testing/fakes';
import {
  FakeBridges,
  FakeDebugger,
  FakeExecutions,
  FakeTracker,
  fakeNotebook,
  row
} from '../live/testing/fakes';
import { PostmortemBody } from './body';
import { addPostmortemCommands, PostmortemCommandIDs } from './commands';
import { PostmortemModel } from './model';
import { PostmortemService } from './service';

const CLASS = 'jp-MLDebuggerPostmortem';
// fakeNotebook's first cell, as FakeDebugger.getCodeId names its code.
const CELL_SOURCE = 'loss = train(model)';
const CELL_PATH = `/tmp/ipykernel_1/${CELL_SOURCE.length}.py`;

function frameOf(name: string, path: string, line: number, user: boolean, extra: Partial<IThreadFrame> = {}): IThreadFrame {
  return { name, path, line, user, code: null, rows: [], ...extra };
}

function link(type: string, text: string, relation: IChainLink['relation'], depth: number, frames: IThreadFrame[]): IChainLink {
  return { type, text, relation, depth, frames };
}

/** A RuntimeError raised from a ValueError, which arose while handling a KeyError. */
function nested(id = 'e1'): IPostmortem {
  return {
    error: {
      id,
      truncated: false,
      chain: [
        link('RuntimeError', 'RuntimeError: training failed', 'raised', 0, [
          frameOf('<module>', CELL_PATH, 1, true, {
            code: 'loss = train(model)',
            rows: [row('model', { summary: 'Net (3 modules)' })]
          }),
          frameOf('train', '/home/me/project/trainer.py', 40, true, {
            code: 'raise RuntimeError("training failed") from error',
            rows: [row('step', { summary: '17' }), row('note', { summary: "'<b>bold</b>'" })]
          })
        ]),
        link('ValueError', 'ValueError: bad batch', 'cause', 0, [
          frameOf('train', '/home/me/project/trainer.py', 38, true, { code: 'out = model(batch)' }),
          frameOf('_call_impl', '/venv/lib/python3.12/site-packages/torch/nn/modules/module.py', 1751, false),
          frameOf('forward', '/venv/lib/python3.12/site-packages/torch/nn/modules/linear.py', 125, false),
          frameOf('check', '/home/me/project/model.py', 12, true, { code: 'raise ValueError("bad batch")' })
        ]),
        link('KeyError', "KeyError: 'label'", 'context', 0, [
          frameOf('load', '/home/me/project/data.py', 7, true, { code: "y = row['label']" })
        ])
      ]
    },
    elapsedMs: 3
  };
}

function setup(reply: () => IPostmortem = () => nested()) {
  const debug = new FakeDebugger();
  const tracker = new FakeTracker();
  const bridges = new FakeBridges();
  const executions = new FakeExecutions();
  const nb = fakeNotebook('k1', [CELL_SOURCE, 'def train(model):\n  pass']);
  tracker.currentWidget = nb;
  const bridge = bridges.bridgeFor(nb.sessionContext.session.kernel);
  const replies = { next: reply };
  bridge.autoReply = () => replies.next();
  const model = new PostmortemModel();
  const service = new PostmortemService({
    debugger: debug as unknown as IDebugger,
    notebookTracker: tracker as unknown as INotebookTracker,
    bridges,
    model,
    executions,
    translator: nullTranslator
  });
  const body = new PostmortemBody({ model });
  const dispose = () => {
    body.dispose();
    service.dispose();
  };
  return { bridge, executions, nb, model, service, body, replies, dispose };
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

function run(executions: FakeExecutions, nb: FakeNotebook, success: boolean): void {
  executions.start(nb);
  executions.executed.emit({ notebook: nb.content, success } as unknown as { notebook: never });
}

function links(body: PostmortemBody): HTMLElement[] {
  return Array.from(body.node.querySelectorAll<HTMLElement>(`.${CLASS}-chain > .${CLASS}-link`));
}

function text(node: Element | null | undefined): string {
  return node?.textContent ?? '';
}

describe('Exceptions', () => {
  it('draws the cause and context chain, each link with its frames outermost first', async () => {
    const { service, body, dispose } = setup();
    await service.refresh();
    const [raised, cause, context] = links(body);
    expect(links(body)).toHaveLength(3);
    expect(text(raised.querySelector(`.${CLASS}-linkHead`))).toBe('raisedRuntimeErrortraining failed');
    expect(text(cause.querySelector(`.${CLASS}-relation`))).toBe('caused by');
    expect(text(context.querySelector(`.${CLASS}-relation`))).toBe('during handling of');
    expect(text(context)).toContain("'label'");
    const heads = Array.from(raised.querySelectorAll(`.${CLASS}-frameHead`)).map(text);
    expect(heads).toEqual(['<module>cell 1, line 1', 'traintrainer.py, line 40']);
    expect(text(raised)).toContain('raise RuntimeError("training failed") from error');
    dispose();
  });

  it('folds library frames into one line that opens, and highlights user frames', async () => {
    const { service, body, dispose } = setup();
    await service.refresh();
    const cause = links(body)[1];
    const fold = cause.querySelector<HTMLElement>(`.${CLASS}-library > .${CLASS}-toggle`);
    expect(text(fold)).toBe('2 library frames');
    expect(text(cause)).not.toContain('_call_impl');
    expect(Array.from(cause.querySelectorAll(`.${CLASS}-user .${CLASS}-function`)).map(text)).toEqual(['train', 'check']);
    fold?.click();
    const opened = links(body)[1];
    expect(text(opened)).toContain('_call_impl');
    expect(text(opened)).toContain('linear.py, line 125');
    expect(opened.querySelector(`.${CLASS}-library > .${CLASS}-toggle`)?.getAttribute('aria-expanded')).toBe('true');
    dispose();
  });

  it("opens the raised exception's innermost user frame with its values, as text", async () => {
    const { service, body, dispose } = setup();
    await service.refresh();
    const tables = body.node.querySelectorAll(`.${CLASS}-rows`);
    expect(tables).toHaveLength(1);
    expect(text(tables[0])).toContain('step17');
    expect(text(tables[0])).toContain("'<b>bold</b>'");
    expect(body.node.querySelector('b')).toBeNull();
    // The cell's frame has values too; they show when it is opened.
    const cellFrame = links(body)[0].querySelector<HTMLElement>(`.${CLASS}-toggle`);
    cellFrame?.click();
    expect(text(links(body)[0])).toContain('Net (3 modules)');
    dispose();
  });

  it('indents the members of an exception group below it', async () => {
    const group: IPostmortem = {
      error: {
        id: 'g1',
        truncated: false,
        chain: [
          link('ExceptionGroup', 'ExceptionGroup: loaders failed (2 sub-exceptions)', 'raised', 0, [
            frameOf('<module>', CELL_PATH, 3, true)
          ]),
          link('OSError', 'OSError: shard 1 missing', 'group', 1, [frameOf('load', '/home/me/data.py', 9, true)]),
          link('ValueError', 'ValueError: shard 2 empty', 'group', 1, [frameOf('load', '/home/me/data.py', 11, true)])
        ]
      },
      elapsedMs: 1
    };
    const { service, body, dispose } = setup(() => group);
    await service.refresh();
    const members = links(body).slice(1);
    expect(members.map(m => text(m.querySelector(`.${CLASS}-relation`)))).toEqual(['group member', 'group member']);
    expect(members.map(m => m.style.getPropertyValue('--jp-MLDebuggerPostmortem-depth'))).toEqual(['1', '1']);
    expect(text(members[0])).toContain('shard 1 missing');
    dispose();
  });

  it('keeps showing the last failure after a clean cell, marked as from an earlier cell', async () => {
    const { service, body, executions, nb, replies, dispose } = setup();
    run(executions, nb, false);
    await settle();
    expect(links(body)).toHaveLength(3);
    expect(body.node.querySelector(`.${CLASS}-stale`)).toBeNull();
    run(executions, nb, true);
    await settle();
    expect(text(body.node.querySelector(`.${CLASS}-stale`))).toContain('From an earlier cell');
    expect(links(body)).toHaveLength(3);
    replies.next = () => ({
      error: { id: 'e2', truncated: false, chain: [link('ZeroDivisionError', 'division by zero', 'raised', 0, [])] },
      elapsedMs: 1
    });
    run(executions, nb, false);
    await settle();
    expect(body.node.querySelector(`.${CLASS}-stale`)).toBeNull();
    expect(text(links(body)[0])).toContain('ZeroDivisionError');
    await service.refresh();
    expect(body.node.querySelector(`.${CLASS}-stale`)).toBeNull();
    dispose();
  });

  it('says no cell has failed yet, and what to do when the read fails', async () => {
    const { service, body, bridge, dispose } = setup(() => ({ error: null, elapsedMs: 1 }));
    await service.refresh();
    expect(text(body.node)).toBe(
      'No cell has failed in this kernel yet. When one does, its exception and frames appear here.'
    );
    bridge.autoReply = () => {
      throw new ProbeError('kernel-dead', 'dead');
    };
    await service.refresh();
    expect(text(body.node.querySelector(`.${CLASS}-message-error`))).toMatch(/Restart it from the Kernel menu/);
    dispose();
  });

  it('reads nothing while folded, and catches up when shown', async () => {
    const { service, model, bridge, body, dispose } = setup();
    model.isShown = false;
    await service.refresh();
    expect(bridge.calls).toHaveLength(0);
    model.isShown = true;
    await settle();
    expect(links(body)).toHaveLength(3);
    dispose();
  });

  it('"Debug Last Exception" reveals the section and shows the exception', async () => {
    const { service, body, dispose } = setup();
    const commands = new CommandRegistry();
    let revealed = 0;
    addPostmortemCommands(commands, service, {
      trans: nullTranslator.load('jupyterlab_ml_debugger'),
      reveal: () => revealed++
    });
    expect(commands.label(PostmortemCommandIDs.debugLastException)).toBe('Debug Last Exception');
    await commands.execute(PostmortemCommandIDs.debugLastException);
    expect(revealed).toBe(1);
    expect(text(links(body)[0])).toContain('training failed');
    dispose();
  });
});
