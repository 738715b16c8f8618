/**
 * What the Checks view says from a background tab: tensors holding NaN/Inf,
 * the module a watch found their origin in, and a shape error explained.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IAttention, IAttentionSource } from '../layout/attention';
import { QUIET } from '../layout/attention';
import type { ChecksModel } from './model';

export function checksAttention(model: ChecksModel, trans: TranslationBundle): IAttentionSource {
  return {
    changed: model.changed,
    read: (): IAttention => {
      const reasons: string[] = [];
      const findings = model.scan?.findings ?? [];
      if (findings.length) {
        reasons.push(
          trans._n('%2 holds NaN/Inf', '%1 tensors hold NaN/Inf, first %2', findings.length, findings[0].path)
        );
      }
      const origin = model.report?.origin;
      if (origin) {
        reasons.push(trans.__('the first NaN/Inf came from %1', origin.path));
      }
      if (model.shapeError) {
        reasons.push(trans.__('a shape error is explained'));
      }
      if (!reasons.length) {
        return QUIET;
      }
      return {
        count: findings.length + (origin ? 1 : 0) + (model.shapeError ? 1 : 0),
        reason: reasons.join('; ')
      };
    },
    seen: () => undefined
  };
}
