import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { nullTranslator } from '@jupyterlab/translation';
import { NO_ACTIONS } from './actions';
import { GUTTER_CLASS, MARKER_CLASS } from './gutter';
import { BreakpointActionStore } from './model';
import { sourceEditorGutter } from './sourceGutter';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

describe('sourceEditorGutter', () => {
  const store = new BreakpointActionStore();
  const source = { changed: store.changed, breakpointsOf: (key: string) => store.cell(key) };
  const acting = store.ensure('/env/lib/train.py', 2);
  store.setActions(acting.id, { ...NO_ACTIONS, condition: 'step > 3' });
  const pathOf = (node: Element) =>
    node.closest('[data-jp-debugger="true"]') ? '/env/lib/train.py' : undefined;

  function editor(debuggerSource: boolean): EditorView {
    const host = document.createElement('div');
    if (debuggerSource) {
      host.setAttribute('data-jp-debugger', 'true');
    }
    document.body.appendChild(host);
    return new EditorView({
      state: EditorState.create({
        doc: 'a = 1\nb = 2\n',
        extensions: sourceEditorGutter(pathOf, source, trans)
      }),
      parent: host
    });
  }

  async function settle(view: EditorView): Promise<void> {
    view.dispatch({ changes: { from: 0, insert: '' } });
    view.dispatch({ changes: { from: view.state.doc.length, insert: '\n' } });
    await Promise.resolve();
  }

  it("marks a kernel source's breakpoint with actions once the editor knows its path", async () => {
    const view = editor(true);
    await settle(view);
    const marker = view.dom.querySelector(`.${MARKER_CLASS}`) as HTMLElement | null;
    expect(marker?.title).toBe('Stops when step > 3');
    view.destroy();
  });

  it('adds no gutter to an inline editor that shows no kernel source', async () => {
    const view = editor(false);
    await settle(view);
    expect(view.dom.querySelector(`.${GUTTER_CLASS}`)).toBeNull();
    view.destroy();
  });
});
