/**
 * Colours of the heatmap: finite values on a perceptual ramp between the
 * slice's finite min and max; NaN, +Inf and -Inf in colours of their own,
 * so a bad cell stands out at any scale. Pure.
 */
import type { ISlice } from '../kernel/structureProtocol';

export type RGB = [number, number, number];

/** The colours that mark non-finite cells; the legend shows the same. */
export const NAN_COLOR: RGB = [255, 0, 255];
export const POS_INF_COLOR: RGB = [255, 255, 255];
export const NEG_INF_COLOR: RGB = [0, 0, 0];

// Stops of a viridis-like ramp: readable in light and dark themes alike.
const RAMP: RGB[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37]
];

/** The colour of one value. */
export function colorOf(value: number, min: number | null, max: number | null): RGB {
  if (Number.isNaN(value)) {
    return NAN_COLOR;
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? POS_INF_COLOR : NEG_INF_COLOR;
  }
  if (min === null || max === null || max <= min) {
    return RAMP[2];
  }
  const t = Math.min(1, Math.max(0, (value - min) / (max - min))) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t));
  const f = t - i;
  const a = RAMP[i];
  const b = RAMP[i + 1];
  return [0, 1, 2].map(k => Math.round(a[k] + (b[k] - a[k]) * f)) as RGB;
}

/** RGBA pixels of the slice, one pixel per value, row major. */
export function heatmapPixels(slice: ISlice): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(slice.rows * slice.cols * 4);
  for (let i = 0; i < slice.values.length; i++) {
    const [r, g, b] = colorOf(slice.values[i], slice.min, slice.max);
    pixels[i * 4] = r;
    pixels[i * 4 + 1] = g;
    pixels[i * 4 + 2] = b;
    pixels[i * 4 + 3] = 255;
  }
  return pixels;
}

/** Positions (row, column) of the non-finite cells, at most `limit` of them. */
export function nonfiniteCells(slice: ISlice, limit = 50): [number, number][] {
  const cells: [number, number][] = [];
  for (let i = 0; i < slice.values.length && cells.length < limit; i++) {
    if (!Number.isFinite(slice.values[i])) {
      cells.push([Math.floor(i / slice.cols), i % slice.cols]);
    }
  }
  return cells;
}
