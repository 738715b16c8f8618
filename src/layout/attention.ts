/**
 * What a view has to say while nobody looks at it: a count and a sentence,
 * shown as a badge on its tab and in the ML Debugger menu, so a hidden view
 * still calls for attention (a NaN found, a deadlock, a leak, a new exception).
 */
import type { ISignal } from '@lumino/signaling';
import type { Title, Widget } from '@lumino/widgets';

export interface IAttention {
  /** How many things call for attention; 0 for none. */
  readonly count: number;
  /** One sentence that says what, for the badge's tooltip. */
  readonly reason: string;
}

/** Nothing to say. */
export const QUIET: IAttention = { count: 0, reason: '' };

/**
 * Where a view's attention comes from: its model, read again on `changed`.
 * `seen` is called while the view is on screen, so news already seen
 * (hits, an exception) stops counting; a state (a deadlock) keeps its count.
 */
export interface IAttentionSource {
  readonly changed: ISignal<unknown, unknown>;
  read(): IAttention;
  seen(): void;
}

/**
 * The attention of a view whose state is a list of problems (deadlocks,
 * counters that only grow, module mismatches): one per item, described by
 * the first. It stays while the problems do, seen or not.
 */
export function listAttention<T>(
  changed: ISignal<unknown, unknown>,
  items: () => readonly T[],
  describe: (count: number, first: T) => string
): IAttentionSource {
  return {
    changed,
    read: () => {
      const list = items();
      return list.length ? { count: list.length, reason: describe(list.length, list[0]) } : QUIET;
    },
    seen: () => undefined
  };
}

/** The data attribute (`data-ml-attention`) a badged tab carries; tab bars write keys as they are. */
const BADGE_KEY = 'ml-attention';

/**
 * Show `attention` on a view's title: the count as a badge (styled through
 * the title's dataset) and the reason as its tooltip. A title on screen
 * shows no badge: the view itself says it.
 */
export function showAttention(
  title: Title<Widget>,
  caption: string,
  attention: IAttention,
  onScreen: boolean
): void {
  const badge = !onScreen && attention.count > 0;
  const count = badge ? String(attention.count) : '';
  if ((title.dataset[BADGE_KEY] ?? '') !== count) {
    title.dataset = count ? { [BADGE_KEY]: count } : {};
  }
  title.caption = badge ? `${caption} — ${attention.reason}` : caption;
}
