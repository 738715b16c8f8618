/**
 * Which 2-D slice of a tensor the viewer shows, and what lies under the
 * cursor. Pure.
 */
import type { ISlice } from '../kernel/structureProtocol';

/** The axes shown at first: the last two (rows, columns), as a matrix prints. */
export function defaultAxes(ndim: number): number[] {
  if (ndim <= 0) {
    return [];
  }
  return ndim === 1 ? [0] : [ndim - 2, ndim - 1];
}

/** Axes chosen by the user, kept distinct and in range. */
export function chooseAxes(ndim: number, rowAxis: number, colAxis: number): number[] {
  if (ndim < 2) {
    return defaultAxes(ndim);
  }
  const row = clamp(rowAxis, 0, ndim - 1);
  let col = clamp(colAxis, 0, ndim - 1);
  if (col === row) {
    col = row === ndim - 1 ? row - 1 : row + 1;
  }
  return [row, col];
}

/** One index per dimension: in range for the fixed ones, 0 for the shown axes. */
export function normalizeIndex(shape: readonly number[], axes: readonly number[], index: readonly number[]): number[] {
  return shape.map((size, dim) => (axes.includes(dim) ? 0 : clamp(index[dim] ?? 0, 0, Math.max(0, size - 1))));
}

/** What one cell of the heatmap stands for. */
export interface ICell {
  row: number;
  col: number;
  /** The element's index in the whole tensor. */
  index: number[];
  value: number;
}

/**
 * The cell under a point of the heatmap drawn `width` × `height` pixels;
 * null outside it.
 */
export function cellAt(slice: ISlice, x: number, y: number, width: number, height: number): ICell | null {
  if (x < 0 || y < 0 || x >= width || y >= height || slice.rows === 0 || slice.cols === 0) {
    return null;
  }
  const row = Math.min(slice.rows - 1, Math.floor((y / height) * slice.rows));
  const col = Math.min(slice.cols - 1, Math.floor((x / width) * slice.cols));
  const index = [...slice.index];
  if (slice.axes.length >= 1) {
    const first = slice.axes.length === 2 ? row * slice.rowStep : col * slice.colStep;
    index[slice.axes[0]] = first;
  }
  if (slice.axes.length === 2) {
    index[slice.axes[1]] = col * slice.colStep;
  }
  return { row, col, index, value: slice.values[row * slice.cols + col] };
}

/** A value as the readout shows it: NaN, inf, -inf, or up to 6 significant digits. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) {
    return 'nan';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? 'inf' : '-inf';
  }
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.trunc(n)));
}
