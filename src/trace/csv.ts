/**
 * The trace table as CSV text (RFC 4180): pure, so what a user exports is
 * exactly what the tests check.
 */
import type { ITraceRow } from '../kernel/protocol';

/** What the export needs besides the rows. */
export interface ICsvOptions {
  /** The recorded expressions, one column each. */
  columns: readonly string[];
  /** The 1-based cell a row's source path belongs to, or null. */
  cellOf: (path: string) => number | null;
}

/** The fixed columns before the recorded values. */
export const FIXED_HEADERS = ['time', 'cell', 'path', 'line', 'hit', 'log', 'error'];

/**
 * One header line, then one line per row. A recorded value is written as its
 * number when it has one, else as its summary (so NaN reads "nan" as the
 * probe summarised it, never as a made-up number).
 */
export function traceToCsv(rows: readonly ITraceRow[], options: ICsvOptions): string {
  const lines = [[...FIXED_HEADERS, ...options.columns].map(quote).join(',')];
  for (const row of rows) {
    const cell = options.cellOf(row.path);
    const fields: Array<string | number | null> = [
      new Date(row.time * 1000).toISOString(),
      cell,
      row.path,
      row.line,
      row.hit,
      row.log,
      row.error
    ];
    for (const column of options.columns) {
      const value = row.values[column];
      fields.push(value ? (value.number ?? value.summary) : null);
    }
    lines.push(fields.map(field).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function field(value: string | number | null): string {
  if (value === null) {
    return '';
  }
  if (typeof value === 'number') {
    // Decoded numbers are finite; anything else is written as text.
    return Number.isFinite(value) ? String(value) : quote(String(value));
  }
  return quote(value);
}

/** Quote a text field when it holds a comma, quote, line break or edge spaces. */
export function quote(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
