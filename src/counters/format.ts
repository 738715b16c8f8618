/**
 * How counter values read: bytes in binary units ("1.2 GiB"), counts as
 * plain integers, times in ms or s, CPU shares as a percentage of one core.
 * Pure, no translation: units and digits read the same in every language.
 */
import type { ICounter } from '../kernel/liveProtocol';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in binary units: "512 B", "1.2 GiB", "340 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) {
    return String(bytes);
  }
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) {
    return `${sign}${Math.round(value)} B`;
  }
  // Three significant digits are enough to see a trend, and no more.
  return `${sign}${value < 100 ? value.toFixed(1) : Math.round(value)} ${BYTE_UNITS[unit]}`;
}

/** A duration: "850 ms", "12.3 s". */
export function formatDuration(ms: number): string {
  if (Math.abs(ms) < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const seconds = ms / 1000;
  return `${Math.abs(seconds) < 100 ? seconds.toFixed(1) : Math.round(seconds)} s`;
}

/** A count as a plain integer: "12", "3051". */
export function formatCount(count: number): string {
  return String(Math.round(count));
}

/** A counter's value by its unit; an em dash when the probe could not read it. */
export function formatCounter(value: number | null, unit: ICounter['unit']): string {
  if (value === null) {
    return '—';
  }
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'ms':
      return formatDuration(value);
    default:
      return formatCount(value);
  }
}

/** A growth with its sign, by unit: "+12", "+1.5 MiB", "-3". */
export function formatDelta(delta: number, unit: ICounter['unit'] = 'count'): string {
  const text = formatCounter(Math.abs(delta), unit);
  return `${delta < 0 ? '-' : '+'}${text}`;
}

/** CPU seconds per wall second as a share of one core: "85%", "170%". */
export function formatShare(share: number | null): string {
  return share === null ? '' : `${Math.round(share * 100)}%`;
}

/** A history for a sparkline: a sample the probe could not read is a gap. */
export function sparklinePoints(history: readonly (number | null)[]): number[] {
  return history.map(v => (v === null ? NaN : v));
}
