/**
 * Geometry of the trace plot: one numeric column over hits as an SVG line
 * chart with axes. Pure; the line itself comes from the sparkline's layout,
 * so a NaN breaks the line the same way in both.
 */
import type { ISparklineGeometry } from '../sparkline/sparkline';
import { sparkline } from '../sparkline/sparkline';

/** The chart's size and the margins kept for the axis labels. */
export interface IChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** One labelled tick: its position along its axis and its text. */
export interface ITick {
  at: number;
  label: string;
}

/** A laid-out chart; null geometry when the column holds no finite number. */
export interface IChart {
  box: IChartBox;
  line: ISparklineGeometry | null;
  xTicks: ITick[];
  yTicks: ITick[];
}

export const DEFAULT_CHART_BOX: IChartBox = {
  width: 640,
  height: 320,
  left: 64,
  right: 16,
  top: 16,
  bottom: 40
};

/**
 * Lay out `values` (one per hit, oldest first) with `hits` (the hit number
 * of each) as the x axis.
 */
export function layoutChart(
  values: readonly number[],
  hits: readonly number[],
  box: IChartBox = DEFAULT_CHART_BOX
): IChart {
  const innerW = Math.max(1, box.width - box.left - box.right);
  const innerH = Math.max(1, box.height - box.top - box.bottom);
  const geometry = sparkline(values, { width: innerW, height: innerH, pad: 0 });
  if (!geometry) {
    return { box, line: null, xTicks: [], yTicks: [] };
  }
  const line: ISparklineGeometry = {
    ...geometry,
    points: geometry.points.map(([x, y]) => [x + box.left, y + box.top]),
    path: shiftPath(geometry.path, box.left, box.top)
  };
  const steps = Math.max(1, values.length - 1);
  const xTicks = tickIndices(values.length, 6).map(i => ({
    at: box.left + (values.length === 1 ? innerW : (innerW * i) / steps),
    label: String(hits[i] ?? i + 1)
  }));
  const span = geometry.max - geometry.min;
  const yTicks = niceTicks(geometry.min, geometry.max, 5).map(v => ({
    at:
      span === 0
        ? box.top + innerH / 2
        : box.top + innerH - (innerH * (v - geometry.min)) / span,
    label: formatTick(v)
  }));
  return { box, line, xTicks, yTicks };
}

/** Up to `count` evenly spread indices of a series of `length`, ends included. */
export function tickIndices(length: number, count: number): number[] {
  if (length <= 0) {
    return [];
  }
  if (length <= count) {
    return Array.from({ length }, (_, i) => i);
  }
  const out = new Set<number>();
  for (let k = 0; k < count; k++) {
    out.add(Math.round(((length - 1) * k) / (count - 1)));
  }
  return [...out];
}

/** Round-numbered ticks (1, 2 or 5 times a power of ten) inside [min, max]. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (min === max) {
    return [min];
  }
  const raw = (max - min) / Math.max(1, count - 1);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step =
    [1, 2, 5, 10].map(m => m * power).find(s => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return ticks;
}

/** Short text for a tick value. */
export function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) {
    return value.toExponential(1);
  }
  return String(Number(value.toPrecision(4)));
}

function shiftPath(path: string, dx: number, dy: number): string {
  return path.replace(
    /([ML])(-?[\d.]+) (-?[\d.]+)/g,
    (_, cmd: string, x: string, y: string) =>
      `${cmd}${round(Number(x) + dx)} ${round(Number(y) + dy)}`
  );
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
