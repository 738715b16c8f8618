/**
 * What the Exceptions view says from a background tab: a cell failed since
 * the view was last on screen.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IAttention, IAttentionSource } from '../layout/attention';
import { QUIET } from '../layout/attention';
import type { PostmortemModel } from './model';

export function postmortemAttention(model: PostmortemModel, trans: TranslationBundle): IAttentionSource {
  let seenId: string | null = null;
  const fresh = () => (model.error && !model.stale && model.error.id !== seenId ? model.error : null);
  return {
    changed: model.changed,
    read: (): IAttention => {
      const error = fresh();
      return error ? { count: 1, reason: trans.__('a new exception: %1', error.chain[0]?.text ?? '') } : QUIET;
    },
    seen: () => {
      seenId = model.error?.id ?? seenId;
    }
  };
}
