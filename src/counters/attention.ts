/**
 * What the Counters view says from a background tab: a counter that only grows.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IAttention, IAttentionSource } from '../layout/attention';
import { QUIET } from '../layout/attention';
import type { CountersModel } from './model';

export function countersAttention(model: CountersModel, trans: TranslationBundle): IAttentionSource {
  return {
    changed: model.changed,
    read: (): IAttention => {
      const flags = model.sample?.flags ?? [];
      if (!flags.length) {
        return QUIET;
      }
      return {
        count: flags.length,
        reason: trans._n('%2', '%1 counters only grow, first: %2', flags.length, flags[0].message)
      };
    },
    seen: () => undefined
  };
}
