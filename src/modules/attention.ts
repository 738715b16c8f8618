/**
 * What the Modules view says from a background tab: a shadowed or mismatched module.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IAttention, IAttentionSource } from '../layout/attention';
import { QUIET } from '../layout/attention';
import type { ModulesModel } from './model';

export function modulesAttention(model: ModulesModel, trans: TranslationBundle): IAttentionSource {
  return {
    changed: model.changed,
    read: (): IAttention => {
      const flags = model.flags;
      if (!flags.length) {
        return QUIET;
      }
      return {
        count: flags.length,
        reason: trans._n('%2', '%1 module problems, first: %2', flags.length, flags[0].message)
      };
    },
    seen: () => undefined
  };
}
