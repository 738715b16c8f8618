/**
 * What the Threads view says from a background tab: a deadlock.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IAttention, IAttentionSource } from '../layout/attention';
import { QUIET } from '../layout/attention';
import type { ThreadsModel } from './model';

export function threadsAttention(model: ThreadsModel, trans: TranslationBundle): IAttentionSource {
  return {
    changed: model.changed,
    read: (): IAttention => {
      const deadlocks = model.sample?.deadlocks ?? [];
      if (!deadlocks.length) {
        return QUIET;
      }
      return {
        count: deadlocks.length,
        reason: trans._n('a deadlock: %2', '%1 deadlocks, first: %2', deadlocks.length, deadlocks[0].text)
      };
    },
    seen: () => undefined
  };
}
