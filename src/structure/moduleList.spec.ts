import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { IModuleNode, IStructure } from '../kernel/structureProtocol';
import { StructureModel } from './model';
import { ModuleList, ROW_HEIGHT } from './moduleList';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

function bigModel(n: number): IStructure {
  const modules: IModuleNode[] = [
    { path: '', depth: 0, cls: 'Sequential', params: [], buffers: [], own: 0, total: n * 20, trainable: n * 20, device: 'cpu', training: true, hooks: null, shared: null, io: null }
  ];
  for (let i = 0; i < n; i++) {
    modules.push({
      path: String(i),
      depth: 1,
      cls: 'Linear',
      params: [['weight', [4, 4], 'float32'], ['bias', [4], 'float32']],
      buffers: [],
      own: 20,
      total: 20,
      trainable: 20,
      device: 'cpu',
      training: i !== 7,
      hooks: null,
      shared: null,
      io: null
    });
  }
  return {
    type: 'Sequential',
    kind: 'module',
    summary: 'Sequential',
    object: { className: 'Sequential', module: 'torch.nn', mro: [], metaclass: null, flavor: null, fields: [], attributes: [], slots: [], properties: [], methods: 0, shape: null },
    modules: { modules, params: n * 20, trainable: n * 20, paramTensors: n * 2, shared: 0, recording: false },
    truncated: false,
    cut: null,
    elapsedMs: 1
  };
}

describe('ModuleList', () => {
  it('puts only the rows around the view in the page for a 10,000-module model', () => {
    const model = new StructureModel();
    model.setSubject({ label: 'model', target: { path: [{ kind: 'name', name: 'model' }] } });
    model.setStructure(bigModel(10000), 'globals');
    const list = new ModuleList({ model, trans });
    Widget.attach(list, document.body);
    list.renderWindow();
    const rows = () => list.node.querySelectorAll('.jp-MLDebuggerStructure-module');
    expect(rows().length).toBeLessThanOrEqual(200);
    expect(rows()[1].textContent).toContain('weight [4, 4]');
    // The spacer is as tall as every row, so the scrollbar is true to the model.
    const spacer = list.node.querySelector('.jp-MLDebuggerStructure-spacer') as HTMLElement;
    expect(spacer.style.height).toBe(`${10001 * ROW_HEIGHT}px`);

    list.reveal('9876');
    const shown = Array.from(rows()).map(r => (r as HTMLElement).dataset.path);
    expect(shown).toContain('9876');
    expect(rows().length).toBeLessThanOrEqual(200);
    Widget.detach(list);
  });

  it('says a module is in eval mode and expands on the twisty', () => {
    const model = new StructureModel();
    model.setSubject({ label: 'model', target: { path: [{ kind: 'name', name: 'model' }] } });
    model.setStructure(bigModel(10), 'globals');
    const list = new ModuleList({ model, trans });
    Widget.attach(list, document.body);
    list.renderWindow();
    const row7 = list.node.querySelector('[data-path="7"]') as HTMLElement;
    expect(row7.textContent).toContain('eval');
    const root = list.node.querySelector('[data-path=""]') as HTMLElement;
    (root.querySelector('button') as HTMLButtonElement).click();
    expect(model.rows.length).toBe(1);
    Widget.detach(list);
  });
});
