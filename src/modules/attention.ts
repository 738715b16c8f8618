/**
 * What the Modules view says from a background tab: a shadowed or mismatched module.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IAttentionSource } from '../layout/attention';
import { listAttention } from '../layout/attention';
import type { ModulesModel } from './model';

export function modulesAttention(model: ModulesModel, trans: TranslationBundle): IAttentionSource {
  return listAttention(
    model.changed,
    () => model.flags,
    (count, first) => trans._n('%2', '%1 module problems, first: %2', count, first.message)
  );
}
