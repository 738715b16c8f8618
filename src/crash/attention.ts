/**
 * What the Crash and Hang view says from a background tab: an undismissed
 * crash report of the current notebook's kernel, or a cell flagged as hung.
 * Each stays counted while it lasts, seen or not: a report until dismissed.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IAttention, IAttentionSource } from '../layout/attention';
import { QUIET } from '../layout/attention';
import type { CrashModel } from './model';

export function crashAttention(model: CrashModel, trans: TranslationBundle): IAttentionSource {
  return {
    changed: model.changed,
    read: (): IAttention => {
      const reasons: string[] = [];
      if (model.report) {
        reasons.push(trans.__('the kernel died: %1', model.report.cause));
      }
      if (model.running && model.hang?.hung) {
        reasons.push(trans.__('a cell hangs'));
      }
      return reasons.length ? { count: reasons.length, reason: reasons.join('; ') } : QUIET;
    },
    seen: () => undefined
  };
}
