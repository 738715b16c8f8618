import type { IModuleNode } from '../kernel/structureProtocol';
import { StructureModel } from './model';
import { defaultExpanded, formatCount, visibleModules } from './tree';

function node(path: string, depth: number, cls = 'Linear'): IModuleNode {
  return {
    path,
    depth,
    cls,
    params: [],
    buffers: [],
    own: 0,
    total: 0,
    trainable: 0,
    device: null,
    training: true,
    hooks: null,
    shared: null,
    io: null
  };
}

// model
//   encoder
//     layers
//       0 (attn, ff)
//       1 (attn, ff)
//   head
const MODULES = [
  node('', 0, 'Net'),
  node('encoder', 1, 'Encoder'),
  node('encoder.layers', 2, 'ModuleList'),
  node('encoder.layers.0', 3, 'Block'),
  node('encoder.layers.0.attn', 4, 'MultiheadAttention'),
  node('encoder.layers.0.ff', 4),
  node('encoder.layers.1', 3, 'Block'),
  node('encoder.layers.1.attn', 4, 'MultiheadAttention'),
  node('encoder.layers.1.ff', 4),
  node('head', 1)
];

const paths = (rows: readonly { node: IModuleNode }[]) => rows.map(r => r.node.path);

describe('visibleModules', () => {
  it('opens a model at its first level', () => {
    const rows = visibleModules(MODULES, defaultExpanded(MODULES), '');
    expect(paths(rows)).toEqual(['', 'encoder', 'encoder.layers', 'head']);
    expect(rows[2]).toMatchObject({ hasChildren: true, expanded: false });
    expect(rows[3]).toMatchObject({ hasChildren: false });
  });

  it('shows the children of an expanded module and hides those of a collapsed ancestor', () => {
    const expanded = new Set(['', 'encoder', 'encoder.layers', 'encoder.layers.1']);
    expect(paths(visibleModules(MODULES, expanded, ''))).toEqual([
      '',
      'encoder',
      'encoder.layers',
      'encoder.layers.0',
      'encoder.layers.1',
      'encoder.layers.1.attn',
      'encoder.layers.1.ff',
      'head'
    ]);
    expanded.delete('encoder');
    expect(paths(visibleModules(MODULES, expanded, ''))).toEqual(['', 'encoder', 'head']);
  });

  it('reveals a deep module that matches a search, with its ancestors, whatever is collapsed', () => {
    const rows = visibleModules(MODULES, new Set(), 'layers.1.ff');
    expect(paths(rows)).toEqual(['', 'encoder', 'encoder.layers', 'encoder.layers.1', 'encoder.layers.1.ff']);
    expect(rows.filter(r => r.match).map(r => r.node.path)).toEqual(['encoder.layers.1.ff']);
  });

  it('searches class names too, case-insensitively', () => {
    const rows = visibleModules(MODULES, new Set(), 'multihead');
    expect(rows.filter(r => r.match).map(r => r.node.path)).toEqual([
      'encoder.layers.0.attn',
      'encoder.layers.1.attn'
    ]);
  });

  it('formats counts with separators', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('StructureModel', () => {
  it('keeps expanded modules across a refresh of the same value and forgets them for a new one', () => {
    const model = new StructureModel();
    const structure = {
      type: 'Net',
      kind: 'module' as const,
      summary: 'Net',
      object: {
        className: 'Net',
        module: '__main__',
        mro: ['Net'],
        metaclass: null,
        flavor: null,
        fields: [],
        attributes: [],
        slots: [],
        properties: [],
        methods: 0,
        shape: null
      },
      modules: { modules: MODULES, params: 0, trainable: 0, paramTensors: 0, shared: 0, recording: false },
      truncated: false,
      cut: null,
      elapsedMs: 1
    };
    model.setSubject({ label: 'net', target: { path: [{ kind: 'name', name: 'net' }] } });
    model.setStructure(structure, 'globals');
    model.toggle('encoder.layers');
    expect(paths(model.rows)).toContain('encoder.layers.0');
    model.setStructure(structure, 'globals');
    expect(paths(model.rows)).toContain('encoder.layers.0');
    model.setSubject({ label: 'other', target: { expression: 'nets[0]' } });
    model.setStructure(structure, 'globals');
    expect(paths(model.rows)).not.toContain('encoder.layers.0');
  });
});

describe('visibleModules while searching', () => {
  it('shows the ancestors of a match opened, even when the match is not their first child', () => {
    const rows = visibleModules(MODULES, new Set(), 'layers.1');
    expect(paths(rows)).toEqual([
      '',
      'encoder',
      'encoder.layers',
      'encoder.layers.1',
      'encoder.layers.1.attn',
      'encoder.layers.1.ff'
    ]);
    // layers.1 is the second child of encoder.layers, which still shows opened.
    expect(rows[2]).toMatchObject({ expanded: true, match: false });
    expect(rows[3]).toMatchObject({ expanded: true, match: true });
  });
});
