import { nullTranslator } from '@jupyterlab/translation';
import { decodeValuesOrLive } from '../kernel/decode';
import type { IRow } from '../kernel/protocol';
import { shadowFlag, splitByScope, toValues } from './groups';
import type { VariableValuesModel } from './model';
import { visibleGroups } from './rows';
import type { ITarget } from '../live/target';
import { row } from '../live/testing/fakes';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

function group(rows: IRow[]): VariableValuesModel.IGroup {
  return { id: 'stopped', label: null, historyScope: 'step', rows };
}

const stopped = {
  mode: 'stopped',
  scope: { kind: 'frame', frames: [], index: 0 },
  label: 'frame step (line 7)',
  historyScope: 'step'
} as unknown as ITarget;

describe('splitByScope', () => {
  it('heads rows Local, Enclosing, Global in that order and leaves empty groups out', () => {
    const split = splitByScope(
      group([
        row('lr', { scope: 'global', path: [{ kind: 'global', name: 'lr' }] }),
        row('list', { scope: 'local', shadows: 'builtin' }),
        row('lr', { scope: 'local', shadows: 'global' })
      ]),
      'local',
      trans
    );
    expect(split.map(g => g.label)).toEqual(['Local', 'Global']);
    expect(split.map(g => g.rows.map(r => r.name))).toEqual([['list', 'lr'], ['lr']]);
    // A global's sparkline history is the namespace's, a local's its function's.
    expect(split.map(g => g.historyScope)).toEqual(['step', 'globals']);
  });

  it('names the live frame in each heading', () => {
    const live = { ...group([row('scale', { scope: 'enclosing' })]), label: 'step line 7 (MainThread)' };
    expect(splitByScope(live, 'local', trans, live.label).map(g => g.label)).toEqual([
      'Enclosing: step line 7 (MainThread)'
    ]);
  });

  it('keeps the rows of a probe that sent no scopes in one list', () => {
    const plain = group([row('a'), row('b')]);
    expect(splitByScope(plain, 'local', trans)).toEqual([plain]);
  });

  it('filters and sorts within each scope', () => {
    const split = splitByScope(
      group([
        row('lr_max', { scope: 'local', size: 10 }),
        row('loss', { scope: 'local', size: 99 }),
        row('lr', { scope: 'global', size: 50 }),
        row('model', { scope: 'global', size: 1 })
      ]),
      'local',
      trans
    );
    const shown = visibleGroups(split, { filter: 'l', sortKey: 'size', sortDirection: 'descending' });
    expect(shown.map(g => [g.label, g.rows.map(r => r.name)])).toEqual([
      ['Local', ['loss', 'lr_max']],
      ['Global', ['lr', 'model']]
    ]);
    const narrowed = visibleGroups(split, { filter: 'model', sortKey: 'name', sortDirection: 'ascending' });
    expect(narrowed.map(g => g.label)).toEqual(['Global']);
  });
});

describe('a grouped reply from the probe', () => {
  const reply = {
    scope: { kind: 'frame', thread: 'MainThread', frame: { path: '/tmp/a.py', name: 'step', line: 7 } },
    rows: [
      { ...raw('x'), scope: 'local', shadows: null },
      { ...raw('scale'), scope: 'enclosing', shadows: null },
      { ...raw('lr'), scope: 'local', shadows: 'global' },
      { ...raw('lr'), path: [{ kind: 'global', name: 'lr' }], scope: 'global', shadows: null }
    ],
    truncated: false,
    elapsed_ms: 3
  };

  it('decodes scopes, shadows and global steps, and shows three headed groups', () => {
    const values = toValues(stopped, decodeValuesOrLive(reply), trans, true);
    expect(values.groups.map(g => [g.label, g.rows.map(r => r.name)])).toEqual([
      ['Local', ['x', 'lr']],
      ['Enclosing', ['scale']],
      ['Global', ['lr']]
    ]);
    expect(values.groups[2].rows[0].path).toEqual([{ kind: 'global', name: 'lr' }]);
    expect(shadowFlag(values.groups[0].rows[1], trans)?.text).toBe('shadows global');
  });

  it('splits each live frame by scope and heads the globals Global', () => {
    const live = decodeValuesOrLive({
      running: true,
      rows: [{ ...raw('lr'), scope: 'global', shadows: null }],
      frames: [
        {
          thread: 'MainThread', path: '/tmp/a.py', name: 'step', line: 7,
          rows: [
            { ...raw('x'), path: [{ kind: 'frame', index: 0 }, { kind: 'name', name: 'x' }], scope: 'local', shadows: null },
            { ...raw('scale'), path: [{ kind: 'frame', index: 0 }, { kind: 'name', name: 'scale' }], scope: 'enclosing', shadows: null }
          ]
        }
      ],
      truncated: false
    });
    const values = toValues({ ...stopped, mode: 'live' }, live, trans, true);
    expect(values.scopeLabel).toBe('live: 1 running frame');
    expect(values.groups.map(g => g.label)).toEqual([
      'Local: step line 7 (MainThread)',
      'Enclosing: step line 7 (MainThread)',
      'Global'
    ]);
  });

  it('leaves rows of a plain reply without the scope keys', () => {
    const plain = decodeValuesOrLive({ ...reply, rows: [raw('x')] });
    expect(Object.keys(plain.rows[0])).not.toContain('scope');
    expect(toValues(stopped, plain, trans).groups.map(g => g.label)).toEqual([null]);
  });
});

describe('shadowFlag', () => {
  it('explains what the name hides, and flags nothing else', () => {
    const local = shadowFlag(row('lr', { scope: 'local', shadows: 'global' }), trans)!;
    expect(local.text).toBe('shadows global');
    expect(local.title).toMatch(/This local hides the global of the same name/);
    const builtin = shadowFlag(row('list', { scope: 'global', shadows: 'builtin' }), trans)!;
    expect(builtin.text).toBe('shadows builtin');
    expect(builtin.title).toMatch(/builtin list/);
    expect(shadowFlag(row('x', { scope: 'local', shadows: null }), trans)).toBeNull();
    expect(shadowFlag(row('x'), trans)).toBeNull();
  });
});

function raw(name: string) {
  return {
    name,
    type: 'int',
    kind: 'scalar',
    summary: '1',
    size: 28,
    nonfinite: false,
    expandable: false,
    path: [{ kind: 'name', name }],
    stats: null,
    error: null
  };
}
