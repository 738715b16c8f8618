import { EditorView } from '@codemirror/view';
import { YFile } from '@jupyter/ydoc';
import type { IDebugger } from '@jupyterlab/debugger';
import type { IEditorTracker } from '@jupyterlab/fileeditor';
import { StateDB } from '@jupyterlab/statedb';
import { nullTranslator } from '@jupyterlab/translation';
import { actionCondition } from '../kernel/protocol';
import type { IBreakpointActions } from './actions';
import { NO_ACTIONS } from './actions';
import { SetBreakpointsEnricher } from './enrich';
import { FILE_BREAKPOINTS_STATE_KEY, FileBreakpoints } from './files';
import { locateFileGutter } from './locate';
import { BreakpointActionsService } from './service';
import { codeId, FakeBridge, FakeDebugger, fakeKernel } from './testing/fakes';

const CONDITION: IBreakpointActions = { ...NO_ACTIONS, condition: 'step % 10 == 0' };
const TRAIN = 'import torch\nfor step in range(100):\n    loss = step * 2\nprint(loss)';
const SITE = '/opt/conda/lib/python3.12/site-packages/torch/optim/sgd.py';

describe('FileBreakpoints', () => {
  it('keeps breakpoints by path: add, update, remove', () => {
    const files = new FileBreakpoints();
    const bp = files.store.ensure('train.py', 3);
    files.store.ensure(SITE, 40);
    files.store.setActions(bp.id, CONDITION);
    expect(files.store.at('train.py', 3)?.actions.condition).toBe('step % 10 == 0');
    expect(files.paths().sort()).toEqual([SITE, 'train.py'].sort());
    files.store.remove(bp.id);
    expect(files.store.cell('train.py')).toEqual([]);
    expect(files.paths()).toEqual([SITE]);
    files.dispose();
  });

  it('moves a file editor breakpoint with edits of its text', () => {
    const files = new FileBreakpoints();
    const text = new YFile();
    text.setSource(TRAIN);
    const tracked = files.trackDocument('train.py', text);
    files.store.setActions(files.store.ensure('train.py', 3).id, CONDITION);
    text.updateSource(0, 0, '# setup\n');
    expect(files.store.at('train.py', 4)?.actions).toEqual(CONDITION);
    tracked.dispose();
    text.updateSource(0, 0, '# more\n');
    expect(files.store.at('train.py', 4)).toBeDefined();
    files.dispose();
    text.dispose();
  });

  it('saves to the state database and reads back after a reload', async () => {
    const state = new StateDB();
    const files = new FileBreakpoints({ state });
    await files.ready;
    const text = new YFile();
    text.setSource(TRAIN);
    files.trackDocument('train.py', text);
    const bp = files.store.ensure('train.py', 3);
    files.store.setActions(bp.id, { ...CONDITION, hit: { mode: 'every', n: 10 } });
    files.store.ensure(SITE, 40);
    await files.saved;
    expect(await state.fetch(FILE_BREAKPOINTS_STATE_KEY)).toEqual({
      'train.py': {
        kind: 'document',
        breakpoints: [
          { id: bp.id, line: 3, condition: 'step % 10 == 0', hit: { mode: 'every', n: 10 } }
        ]
      },
      [SITE]: { kind: 'source', breakpoints: [{ id: expect.any(String), line: 40 }] }
    });
    files.dispose();

    const reloaded = new FileBreakpoints({ state });
    await reloaded.ready;
    expect(reloaded.store.at('train.py', 3)).toEqual({
      id: bp.id,
      cellId: 'train.py',
      line: 3,
      actions: { ...CONDITION, hit: { mode: 'every', n: 10 } }
    });
    expect(reloaded.kindOf('train.py')).toBe('document');
    expect(reloaded.kindOf(SITE)).toBe('source');
    expect(reloaded.store.at(SITE, 40)?.actions).toEqual(NO_ACTIONS);
    reloaded.dispose();
    text.dispose();
  });
});

describe('locateFileGutter', () => {
  let host: HTMLElement;
  let view: EditorView;
  let widget: HTMLElement;
  let breakpoints: { path: string; line: number }[];

  beforeEach(() => {
    // A file editor's widget around a CodeMirror editor with the debugger's
    // breakpoint gutter, as JupyterLab renders it.
    host = document.createElement('div');
    widget = document.createElement('div');
    widget.className = 'jp-FileEditor';
    host.appendChild(widget);
    document.body.appendChild(host);
    view = new EditorView({ doc: TRAIN, parent: widget });
    const gutters = document.createElement('div');
    gutters.className = 'cm-gutters';
    gutters.innerHTML =
      '<div class="cm-gutter cm-breakpoint-gutter"><div class="cm-gutterElement"></div></div>';
    view.dom.insertBefore(gutters, view.dom.firstChild);
    breakpoints = [];
  });

  afterEach(() => {
    view.destroy();
    host.remove();
  });

  const tracker = {
    find: (fn: (w: unknown) => boolean) => {
      const w = {
        node: widget,
        context: { path: 'nb/train.py' },
        content: { model: { sharedModel: { getSource: () => TRAIN } } }
      };
      return fn(w) ? w : undefined;
    }
  } as unknown as IEditorTracker;
  const debug = () =>
    ({
      getCodeId: codeId,
      model: {
        breakpoints: {
          getBreakpoints: (path: string) => breakpoints.filter(b => b.path === path)
        }
      }
    }) as unknown as IDebugger;
  const rightClickAtLine = (line: number) => {
    const block = view.lineBlockAt(view.state.doc.line(line).from);
    return new MouseEvent('mousedown', {
      button: 2,
      clientY: view.documentTop + block.top + 1
    });
  };

  it("names the document's path and the line when that line holds a breakpoint", () => {
    breakpoints.push({ path: codeId(TRAIN), line: 3 });
    const target = host.querySelector('.cm-gutterElement')!;
    expect(locateFileGutter(tracker, debug(), target, rightClickAtLine(3))).toEqual({
      path: 'nb/train.py',
      line: 3
    });
  });

  it('lets a right-click on a line without a breakpoint through', () => {
    breakpoints.push({ path: codeId(TRAIN), line: 3 });
    const target = host.querySelector('.cm-gutterElement')!;
    expect(locateFileGutter(tracker, debug(), target, rightClickAtLine(2))).toBeNull();
  });

  it('ignores gutters without the debugger, and the editor content', () => {
    breakpoints.push({ path: codeId(TRAIN), line: 1 });
    expect(
      locateFileGutter(tracker, debug(), view.contentDOM, rightClickAtLine(1))
    ).toBeNull();
    host.querySelector('.cm-breakpoint-gutter')!.remove();
    const target = host.querySelector('.cm-gutters')!;
    expect(locateFileGutter(tracker, debug(), target, rightClickAtLine(1))).toBeNull();
  });
});

describe('actionsByLine for files and kernel sources', () => {
  let debug: FakeDebugger;
  let bridge: FakeBridge;
  let service: BreakpointActionsService;
  let enricher: SetBreakpointsEnricher;
  let text: YFile;

  beforeEach(async () => {
    const kernel = fakeKernel('k1');
    debug = new FakeDebugger(kernel);
    bridge = new FakeBridge();
    service = new BreakpointActionsService({
      debugger: debug.asDebugger(),
      bridges: { bridgeFor: () => bridge },
      translator: nullTranslator,
      state: new StateDB()
    });
    enricher = new SetBreakpointsEnricher({ debugger: debug.asDebugger(), source: service });
    text = new YFile();
    text.setSource(TRAIN);
    service.files.model.trackDocument('train.py', text);
    await service.files.model.ready;
  });

  afterEach(() => {
    enricher.dispose();
    service.dispose();
    text.dispose();
  });

  it("puts a file editor's condition on JupyterLab's plain re-send of its text", async () => {
    await service.files.save('train.py', 3, CONDITION);
    const id = service.files.breakpointAt('train.py', 3)!.id;
    expect(debug.session!.lastSetBreakpoints()).toEqual({
      source: { path: codeId(TRAIN) },
      breakpoints: [{ line: 3, condition: actionCondition(id) }],
      sourceModified: false
    });
    expect(bridge.calls[0].args).toEqual({
      breakpoints: [expect.objectContaining({ id, condition: 'step % 10 == 0' })]
    });
    await debug.resend(codeId(TRAIN), [3]);
    expect(debug.session!.lastSetBreakpoints().breakpoints).toEqual([
      { line: 3, condition: actionCondition(id) }
    ]);
  });

  it("puts a kernel source's condition on sends for its real path, and leaves other paths alone", async () => {
    await service.files.save(SITE, 40, CONDITION);
    const id = service.files.breakpointAt(SITE, 40)!.id;
    expect(debug.session!.lastSetBreakpoints()).toEqual({
      source: { path: SITE },
      breakpoints: [{ line: 40, condition: actionCondition(id) }],
      sourceModified: false
    });
    await debug.resend(SITE, [12, 40]);
    expect(debug.session!.lastSetBreakpoints().breakpoints).toEqual([
      { line: 12 },
      { line: 40, condition: actionCondition(id) }
    ]);
    await debug.resend('/opt/conda/lib/python3.12/other.py', [5]);
    expect(debug.session!.lastSetBreakpoints().breakpoints).toEqual([{ line: 5 }]);
  });

  it('keeps file breakpoints in the probe when a notebook cell is sent', async () => {
    await service.files.save(SITE, 40, CONDITION);
    await debug.resend(codeId('x = 1'), [1]);
    const last = bridge.calls[bridge.calls.length - 1];
    expect(last.args).toEqual({
      breakpoints: [expect.objectContaining({ condition: 'step % 10 == 0' })]
    });
  });
});
