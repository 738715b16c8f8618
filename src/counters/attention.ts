/**
 * What the Counters view says from a background tab: a counter or a container that only grows.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IAttentionSource } from '../layout/attention';
import { listAttention } from '../layout/attention';
import type { CountersModel } from './model';

export function countersAttention(model: CountersModel, trans: TranslationBundle): IAttentionSource {
  return listAttention(
    model.changed,
    () => model.sample?.flags ?? [],
    (count, first) => trans._n('%2', '%1 things only grow, first: %2', count, first.message)
  );
}
