import type { IRow } from '../kernel/protocol';
import type { VariableValuesModel } from './model';
import {
  appendCapped,
  historyKey,
  rowKey,
  scalarValue,
  visibleGroups
} from './rows';
import { row } from '../live/testing/fakes';

function group(
  id: string,
  rows: IRow[],
  historyScope = id
): VariableValuesModel.IGroup {
  return { id, label: id, historyScope, rows };
}

describe('visibleGroups', () => {
  it('breaks ties in size by name, and leaves the groups it is given alone', () => {
    const groups = [
      group('globals', [row('b', { size: 8 }), row('A', { size: 8 }), row('c', { size: 9 })])
    ];
    const view = { filter: '', sortKey: 'size', sortDirection: 'descending' } as const;
    expect(visibleGroups(groups, view)[0].rows.map(r => r.name)).toEqual(['c', 'A', 'b']);
    expect(groups[0].rows.map(r => r.name)).toEqual(['b', 'A', 'c']);
  });

  it('keeps an empty group when nothing filters, drops it when a filter matches nothing there', () => {
    const groups = [group('globals', []), group('frame:0', [row('loss')])];
    const all = { filter: '', sortKey: 'name', sortDirection: 'ascending' } as const;
    expect(visibleGroups(groups, all).map(g => g.id)).toEqual(['globals', 'frame:0']);
    expect(visibleGroups(groups, { ...all, filter: '  LOSS ' }).map(g => g.id)).toEqual(['frame:0']);
  });
});

describe('rowKey', () => {
  it('tells apart a name from an item of the same text', () => {
    expect(rowKey([{ kind: 'name', name: '0' }])).not.toBe(
      rowKey([{ kind: 'index', index: 0 }])
    );
  });
});

describe('history', () => {
  it('joins values of one name within one scope only', () => {
    const loss = row('loss');
    expect(historyKey(group('a', [], 'train'), loss)).toBe(historyKey(group('b', [], 'train'), loss));
    expect(historyKey(group('a', [], 'train'), loss)).not.toBe(historyKey(group('a', [], 'evaluate'), loss));
  });

  it('caps a series by dropping the oldest values', () => {
    const series = [1, 2, 3];
    expect(appendCapped(series, 4, 3)).toEqual([2, 3, 4]);
    expect(appendCapped([], 1, 3)).toEqual([1]);
  });
});

describe('scalarValue', () => {
  it('reads numbers from scalar summaries and one-element tensors only', () => {
    expect(scalarValue(row('a', { summary: '-1.5e-3' }))).toBe(-0.0015);
    expect(scalarValue(row('a', { summary: '-inf' }))).toBe(-Infinity);
    expect(scalarValue(row('a', { summary: 'True' }))).toBeNull();
    expect(scalarValue(row('a', { kind: 'text', summary: '3' }))).toBeNull();
    const stats = {
      shape: [],
      dtype: 'float32',
      device: 'cpu',
      numel: 1,
      requiresGrad: false,
      hasGrad: false,
      min: 2,
      max: 2,
      mean: 2,
      std: 0,
      nan: 0,
      inf: 0,
      exact: { min: true, max: true, mean: true, std: true, nan: true, inf: true },
      note: null
    };
    expect(scalarValue(row('t', { kind: 'tensor', summary: 'Tensor[] float32', stats }))).toBe(2);
    expect(
      scalarValue(row('t', { kind: 'tensor', stats: { ...stats, numel: 4 } }))
    ).toBeNull();
  });
});
