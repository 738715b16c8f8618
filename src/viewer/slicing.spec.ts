import type { ISlice } from '../kernel/structureProtocol';
import { colorOf, heatmapPixels, NAN_COLOR, nonfiniteCells, POS_INF_COLOR } from './heatmap';
import { cellAt, chooseAxes, defaultAxes, formatValue, normalizeIndex } from './slicing';

function slice(values: number[], rows: number, cols: number, extra: Partial<ISlice> = {}): ISlice {
  return {
    shape: [8, rows, cols],
    dtype: 'float32',
    device: 'cpu',
    axes: [1, 2],
    index: [3, 0, 0],
    rows,
    cols,
    rowStep: 1,
    colStep: 1,
    nan: values.filter(Number.isNaN).length,
    inf: values.filter(v => Math.abs(v) === Infinity).length,
    min: 0,
    max: 10,
    values: Float32Array.from(values),
    ...extra
  };
}

describe('slicing', () => {
  it('shows the last two axes at first, the only one of a vector, none of a scalar', () => {
    expect(defaultAxes(4)).toEqual([2, 3]);
    expect(defaultAxes(1)).toEqual([0]);
    expect(defaultAxes(0)).toEqual([]);
  });

  it('keeps the chosen axes distinct and in range', () => {
    expect(chooseAxes(3, 0, 0)).toEqual([0, 1]);
    expect(chooseAxes(3, 2, 2)).toEqual([2, 1]);
    expect(chooseAxes(3, 5, -1)).toEqual([2, 0]);
  });

  it('clamps the fixed indices and zeroes the shown axes', () => {
    expect(normalizeIndex([4, 5, 6], [1, 2], [9, 3, 3])).toEqual([3, 0, 0]);
    expect(normalizeIndex([4, 5, 6], [0, 2], [2, -1, 3])).toEqual([0, 0, 0]);
  });

  it('maps a point of the heatmap to the element of the whole tensor, through the strides', () => {
    const s = slice([0, 1, 2, 3, 4, NaN], 2, 3, { rowStep: 10, colStep: 4 });
    // 300 × 200 pixels: each of the 2 × 3 cells is 100 × 100.
    expect(cellAt(s, 250, 150, 300, 200)).toEqual({ row: 1, col: 2, index: [3, 10, 8], value: NaN });
    expect(cellAt(s, 10, 10, 300, 200)?.index).toEqual([3, 0, 0]);
    expect(cellAt(s, 300, 10, 300, 200)).toBeNull();
  });

  it('maps a vector along its columns', () => {
    const s = { ...slice([5, 6, 7], 1, 3, { colStep: 2 }), shape: [6], axes: [0], index: [0] };
    expect(cellAt(s, 50, 0, 30, 10)).toBeNull();
    expect(cellAt(s, 25, 5, 30, 10)).toEqual({ row: 0, col: 2, index: [4], value: 7 });
  });

  it('reads values the way Python prints them', () => {
    expect([NaN, Infinity, -Infinity, 3, 0.1 + 0.2].map(formatValue)).toEqual([
      'nan',
      'inf',
      '-inf',
      '3',
      '0.3'
    ]);
  });
});

describe('heatmap', () => {
  it('marks NaN and Inf cells in colours no finite value takes', () => {
    const s = slice([0, NaN, 10, Infinity], 2, 2);
    const pixels = heatmapPixels(s);
    expect(Array.from(pixels.slice(4, 7))).toEqual(NAN_COLOR);
    expect(Array.from(pixels.slice(12, 15))).toEqual(POS_INF_COLOR);
    for (let v = 0; v <= 10; v += 0.5) {
      expect(colorOf(v, 0, 10)).not.toEqual(NAN_COLOR);
    }
    expect(nonfiniteCells(s)).toEqual([
      [0, 1],
      [1, 1]
    ]);
  });

  it('spreads finite values from the min colour to the max colour', () => {
    expect(colorOf(0, 0, 10)).not.toEqual(colorOf(10, 0, 10));
    expect(colorOf(-5, 0, 10)).toEqual(colorOf(0, 0, 10));
  });
});
