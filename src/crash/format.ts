/**
 * Sizes as the Crash and Hang view writes them: binary units, one decimal.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** "21.8 GiB", "512 B". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} ${UNITS[0]}` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
