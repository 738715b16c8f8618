import type { IRow } from '../kernel/protocol';
import { VariableValuesModel } from './model';
import { rowKey } from './rows';
import { row } from '../live/testing/fakes';

function values(
  rows: IRow[],
  extra: Partial<VariableValuesModel.IValues> = {}
): VariableValuesModel.IValues {
  return {
    mode: 'globals',
    scopeLabel: 'globals',
    groups: [{ id: 'globals', label: null, historyScope: 'globals', rows }],
    truncated: false,
    ...extra
  };
}

describe('VariableValuesModel', () => {
  let model: VariableValuesModel;
  beforeEach(() => {
    model = new VariableValuesModel({ historyLength: 3 });
  });
  afterEach(() => model.dispose());

  it('filters by name or type, case-insensitively', () => {
    model.setValues(
      values([
        row('weights', { type: 'Tensor', kind: 'tensor' }),
        row('lr', { type: 'float' }),
        row('Batch', { type: 'list' })
      ])
    );
    model.filter = 'tensor';
    expect(model.visibleRows.map(r => r.name)).toEqual(['weights']);
    model.filter = 'BAT';
    expect(model.visibleRows.map(r => r.name)).toEqual(['Batch']);
    model.filter = '';
    expect(model.visibleRows).toHaveLength(3);
  });

  it('sorts names naturally, and sizes biggest first by default', () => {
    model.setValues(
      values([
        row('x10', { size: 5 }),
        row('x2', { size: 500 }),
        row('a', { size: 50 })
      ])
    );
    expect(model.visibleRows.map(r => r.name)).toEqual(['a', 'x2', 'x10']);
    model.sortKey = 'size';
    expect(model.visibleRows.map(r => r.name)).toEqual(['x2', 'a', 'x10']);
    model.sortDirection = 'ascending';
    expect(model.visibleRows.map(r => r.name)).toEqual(['x10', 'a', 'x2']);
  });

  it('keeps live frames apart and drops a group with no match while filtering', () => {
    model.setValues({
      mode: 'live',
      scopeLabel: 'live: 1 running frame',
      truncated: false,
      groups: [
        { id: 'globals', label: 'Globals', historyScope: 'globals', rows: [row('model')] },
        {
          id: 'frame:0',
          label: 'train line 4 (MainThread)',
          historyScope: 'train',
          rows: [row('loss', { path: [{ kind: 'frame', index: 0 }, { kind: 'name', name: 'loss' }] })]
        }
      ]
    });
    expect(model.visibleGroups.map(g => g.label)).toEqual([
      'Globals',
      'train line 4 (MainThread)'
    ]);
    model.filter = 'loss';
    expect(model.visibleGroups.map(g => g.label)).toEqual([
      'train line 4 (MainThread)'
    ]);
  });

  it('keeps an expanded row open across a refresh while the value still exists', () => {
    const batch = row('batch', { expandable: true, kind: 'container' });
    model.setValues(values([batch]));
    const key = rowKey(batch.path);
    const child = row('0', { path: [...batch.path, { kind: 'index', index: 0 }] });
    model.setChildren(key, { status: 'ready', rows: [child], truncated: false, message: '' });
    expect(model.rowByKey(rowKey(child.path))).toBe(child);

    model.setValues(values([batch, row('other')]));
    expect(model.children(key)?.rows).toEqual([child]);

    // The value is gone: its open children would describe nothing.
    model.setValues(values([row('other')]));
    expect(model.children(key)).toBeUndefined();
    expect(model.rowByKey(rowKey(child.path))).toBeUndefined();
  });

  it('forgets rows, children and reprs when another scope starts loading', () => {
    const x = row('x');
    model.setValues(values([x]));
    model.setRepr(rowKey(x.path), { status: 'ready', text: 'X()', truncated: false });
    model.setLoading('stopped', 'frame f (line 3)');
    expect(model.status).toBe('loading');
    expect(model.visibleRows).toEqual([]);
    expect(model.repr(rowKey(x.path))).toBeUndefined();
    expect(model.scopeLabel).toBe('frame f (line 3)');
  });

  it('keeps rows on an error so a failed poll does not blank the list', () => {
    model.setValues(values([row('x')]));
    model.setError('The kernel did not answer.');
    expect(model.status).toBe('error');
    expect(model.message).toBe('The kernel did not answer.');
    expect(model.visibleRows.map(r => r.name)).toEqual(['x']);
  });

  it('records a capped history of scalar values per function and name', () => {
    const g = (rows: IRow[], scope: string) => ({
      mode: 'stopped' as const,
      scopeLabel: scope,
      truncated: false,
      groups: [{ id: 'f', label: null, historyScope: scope, rows }]
    });
    for (const v of ['0.9', '0.5', 'nan', '0.1']) {
      model.setValues(g([row('loss', { summary: v })], 'train'));
    }
    model.setValues(g([row('loss', { summary: '7' })], 'evaluate'));
    const train = { id: 'f', label: null, historyScope: 'train', rows: [] };
    const history = model.history(train, row('loss'));
    expect(history).toHaveLength(3);
    expect(history[0]).toBe(0.5);
    expect(history[1]).toBeNaN();
    expect(history[2]).toBe(0.1);
  });

  it('emits changed once per update and nothing for a no-op', () => {
    let count = 0;
    model.changed.connect(() => count++);
    model.filter = 'a';
    model.filter = 'a';
    model.sortKey = 'name';
    expect(count).toBe(1);
  });
});
