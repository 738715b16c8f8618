/**
 * Geometry of a sparkline: pure functions from a numeric series to SVG
 * coordinates, so every view that draws a trend draws it the same way.
 */

/** The drawing box and its inner margin, in SVG user units. */
export interface ISparklineBox {
  width: number;
  height: number;
  /** Kept clear on every side so the stroke and end dot are not clipped. */
  pad: number;
}

/** A series laid out in a box. */
export interface ISparklineGeometry {
  /** One point per finite value, in series order; x keeps the value's index. */
  points: Array<[number, number]>;
  /**
   * An SVG path through the points; a non-finite value breaks the line, so a
   * NaN in a loss series shows as a gap rather than as a made-up value.
   */
  path: string;
  /** The smallest and largest finite values; equal for a constant series. */
  min: number;
  max: number;
  /** The last finite value, marked with a dot by the views. */
  last: number;
  /** How many values were left out because they were NaN or infinite. */
  skipped: number;
}

export const DEFAULT_BOX: ISparklineBox = { width: 60, height: 14, pad: 1.5 };

/**
 * Lay out a series; null when it holds no finite value.
 */
export function sparkline(
  values: readonly number[],
  box: ISparklineBox = DEFAULT_BOX
): ISparklineGeometry | null {
  let min = Infinity;
  let max = -Infinity;
  let last = NaN;
  let skipped = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      last = v;
    } else {
      skipped++;
    }
  }
  if (!Number.isFinite(last)) {
    return null;
  }
  const innerW = Math.max(0, box.width - 2 * box.pad);
  const innerH = Math.max(0, box.height - 2 * box.pad);
  const span = max - min;
  const steps = values.length - 1;
  const xAt = (i: number): number =>
    // A single value sits at the right end, where the newest value always is.
    steps === 0 ? box.pad + innerW : box.pad + (innerW * i) / steps;
  const yAt = (v: number): number =>
    // A constant series is a flat line through the middle, not along an edge.
    span === 0
      ? box.pad + innerH / 2
      : box.pad + innerH - (innerH * (v - min)) / span;

  const points: Array<[number, number]> = [];
  const parts: string[] = [];
  let penDown = false;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      penDown = false;
      return;
    }
    const p: [number, number] = [round(xAt(i)), round(yAt(v))];
    points.push(p);
    parts.push(`${penDown ? 'L' : 'M'}${p[0]} ${p[1]}`);
    penDown = true;
  });
  return { points, path: parts.join(' '), min, max, last, skipped };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
