import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { NO_ACTIONS } from './actions';
import { breakpointGutter, MARKER_CLASS } from './gutter';
import { BreakpointActionStore } from './model';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

/** The markers' column comes and goes on the microtasks after an update. */
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    await Promise.resolve();
  }
};

describe('breakpointGutter', () => {
  it('marks lines whose breakpoint acts, with a tooltip that says what it does', async () => {
    const store = new BreakpointActionStore();
    const source = {
      changed: store.changed,
      breakpointsOf: (cellId: string) => store.cell(cellId)
    };
    const plain = store.ensure('c1', 1);
    const acting = store.ensure('c1', 3);
    store.setActions(acting.id, { ...NO_ACTIONS, condition: 'i == 3', log: 'i={i}' });
    const view = new EditorView({
      state: EditorState.create({
        doc: 'a = 1\nfor i in range(9):\n    b = i\n',
        extensions: breakpointGutter(() => 'c1', source, trans)
      }),
      parent: document.body
    });
    const titles = () =>
      Array.from(view.dom.querySelectorAll(`.${MARKER_CLASS}`)).map(n => (n as HTMLElement).title);
    await settle();
    expect(titles()).toEqual(["Stops when i == 3; logs 'i={i}'"]);

    store.setActions(plain.id, { ...NO_ACTIONS, continue: true });
    await settle();
    expect(titles()).toEqual(['Never stops', "Stops when i == 3; logs 'i={i}'"]);
    view.destroy();
    store.dispose();
  });

  it("marks a file editor's lines once its path is known", async () => {
    const store = new BreakpointActionStore();
    const tracked = new Signal<unknown, string>({});
    const source = { changed: tracked, breakpointsOf: (key: string) => store.cell(key) };
    const acting = store.ensure('lib/train.py', 2);
    store.setActions(acting.id, { ...NO_ACTIONS, continue: true });
    let path: string | undefined;
    const view = new EditorView({
      state: EditorState.create({
        doc: 'x = 1\ny = 2\n',
        extensions: breakpointGutter(() => path, source, trans)
      }),
      parent: document.body
    });
    const markers = () => view.dom.querySelectorAll(`.${MARKER_CLASS}`).length;
    expect(markers()).toBe(0);
    path = 'lib/train.py';
    tracked.emit(path);
    await settle();
    expect(markers()).toBe(1);
    view.destroy();
    store.dispose();
  });

  it("adds no gutter to an editor without actions, so JupyterLab's own gutters are as they are", async () => {
    const store = new BreakpointActionStore();
    const source = { changed: store.changed, breakpointsOf: (key: string) => store.cell(key) };
    const acting = store.ensure('c1', 1);
    const view = new EditorView({
      state: EditorState.create({
        doc: 'a = 1\n',
        extensions: breakpointGutter(() => 'c1', source, trans)
      }),
      parent: document.body
    });
    await settle();
    expect(view.dom.querySelector('.cm-gutters')).toBeNull();
    store.setActions(acting.id, { ...NO_ACTIONS, continue: true });
    await settle();
    expect(view.dom.querySelectorAll('.cm-gutters .cm-gutter')).toHaveLength(1);
    store.setActions(acting.id, NO_ACTIONS);
    await settle();
    expect(view.dom.querySelector('.cm-gutters')).toBeNull();
    view.destroy();
    store.dispose();
  });
});
