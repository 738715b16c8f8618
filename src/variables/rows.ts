/**
 * Pure logic over rows: their keys, the number a row stands for, which rows a
 * filter and sort leave on screen, and how a scalar's history is capped. No
 * state: the model keeps that and calls these.
 */
import type { IRow, PathStep } from '../kernel/protocol';

export type RowSortKey = 'name' | 'size';

export type RowSortDirection = 'ascending' | 'descending';

/** Rows of one frame or of the globals. */
export interface IRowGroup {
  /** Unique within one set of values. */
  id: string;
  /** Header shown above the rows, e.g. "train line 12 (MainThread)"; null for none. */
  label: string | null;
  /**
   * What a row name means across refreshes, e.g. the function name: a
   * scalar's history joins values of the same name in the same function.
   */
  historyScope: string;
  rows: IRow[];
}

/** How the user asked the rows to be narrowed and ordered. */
export interface IRowView {
  /** Case-insensitive text matched against row names and types. */
  filter: string;
  sortKey: RowSortKey;
  sortDirection: RowSortDirection;
}

/** The key of a row: its path, which is unique within one scope. */
export function rowKey(path: readonly PathStep[]): string {
  return JSON.stringify(path);
}

/**
 * Groups with their top-level rows filtered and sorted; empty groups dropped
 * while filtering, so a live frame with no match does not show a bare header.
 */
export function visibleGroups(
  groups: readonly IRowGroup[],
  view: IRowView
): IRowGroup[] {
  const needle = view.filter.trim().toLowerCase();
  const sign = view.sortDirection === 'ascending' ? 1 : -1;
  const compare =
    view.sortKey === 'size'
      ? (a: IRow, b: IRow) => sign * (a.size - b.size) || byName(a, b)
      : (a: IRow, b: IRow) => sign * byName(a, b);
  const visible: IRowGroup[] = [];
  for (const group of groups) {
    const rows = needle
      ? group.rows.filter(
          r =>
            r.name.toLowerCase().includes(needle) ||
            r.type.toLowerCase().includes(needle)
        )
      : [...group.rows];
    if (needle && rows.length === 0) {
      continue;
    }
    visible.push({ ...group, rows: rows.sort(compare) });
  }
  return visible;
}

/**
 * The number a row stands for, when it is one: a numeric scalar or a tensor
 * or array of one element. NaN and infinities count, so a sparkline shows
 * the gap where a loss went NaN.
 */
export function scalarValue(row: IRow): number | null {
  if (row.stats && row.stats.numel === 1 && row.stats.mean !== null) {
    return row.stats.mean;
  }
  if (row.stats && row.stats.numel === 1 && row.stats.nan === 1) {
    return NaN;
  }
  if (row.kind !== 'scalar') {
    return null;
  }
  const text = row.summary.trim().toLowerCase();
  if (text === 'nan') {
    return NaN;
  }
  if (text === 'inf' || text === '+inf') {
    return Infinity;
  }
  if (text === '-inf') {
    return -Infinity;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(text)) {
    return null;
  }
  return Number(text);
}

/**
 * Which history a row's values join: the same name in the same scope, e.g.
 * the same function, so two functions' `loss` never share a sparkline.
 */
export function historyKey(group: IRowGroup, row: IRow): string {
  return `${group.historyScope}\u0000${row.name}`;
}

/**
 * Append a value to a series, dropping the oldest beyond `length` so a long
 * run keeps a bounded sparkline. Mutates and returns `series`.
 */
export function appendCapped(
  series: number[],
  value: number,
  length: number
): number[] {
  series.push(value);
  if (series.length > length) {
    series.splice(0, series.length - length);
  }
  return series;
}

function byName(a: IRow, b: IRow): number {
  return a.name.localeCompare(b.name, undefined, {
    numeric: true,
    sensitivity: 'base'
  });
}
