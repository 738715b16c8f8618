/**
 * What the Threads view says from a background tab: a deadlock.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IAttentionSource } from '../layout/attention';
import { listAttention } from '../layout/attention';
import type { ThreadsModel } from './model';

export function threadsAttention(model: ThreadsModel, trans: TranslationBundle): IAttentionSource {
  return listAttention(
    model.changed,
    () => model.sample?.deadlocks ?? [],
    (count, first) => trans._n('a deadlock: %2', '%1 deadlocks, first: %2', count, first.text)
  );
}
