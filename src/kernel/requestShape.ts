/**
 * The bounds every request must keep, checked before it is sent.
 *
 * The probe checks the same bounds (probe/requests.py `check_shape`), but a
 * message nested past the kernel's own JSON decoder (about 1,000 levels) never
 * reaches it: ipykernel drops it, and the caller would wait for its timeout.
 * The sentences are the probe's.
 */

/** protocol.REQUEST_DEPTH_MAX, REQUEST_ITEMS_MAX and REQUEST_TEXT_MAX of the probe. */
export const REQUEST_DEPTH_MAX = 32;
export const REQUEST_ITEMS_MAX = 50_000;
export const REQUEST_TEXT_MAX = 100_000;

/**
 * Why a request's args cannot be sent, or null when they can. The request
 * object itself is one level above its args, as the probe counts.
 */
export function requestShapeError(args: unknown): string | null {
  const pending: Array<[unknown, number]> = [[args, 2]];
  let items = 1;
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    items += 1;
    if (items > REQUEST_ITEMS_MAX) {
      return `a request holds at most ${REQUEST_ITEMS_MAX.toLocaleString('en-US')} values`;
    }
    if (typeof value === 'string') {
      if (value.length > REQUEST_TEXT_MAX) {
        return `a request's strings have at most ${REQUEST_TEXT_MAX.toLocaleString('en-US')} characters`;
      }
      continue;
    }
    if (value !== null && typeof value === 'object') {
      if (depth >= REQUEST_DEPTH_MAX) {
        return `a request nests at most ${REQUEST_DEPTH_MAX} levels deep`;
      }
      const children = Array.isArray(value) ? value : Object.values(value);
      for (const child of children) {
        pending.push([child, depth + 1]);
      }
    }
  }
  return null;
}
