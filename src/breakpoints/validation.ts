/**
 * Checks a breakpoint's expressions with the probe's own parser, in the
 * notebook's kernel, so the form can refuse what would not compile there.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IValidation } from '../kernel/protocol';
import type { IBreakpointActions } from './actions';
import type { BreakpointActionsService } from './service';

/** The form fields that hold an expression or template. */
export type FieldName = 'condition' | 'hit' | 'log' | 'record' | 'stopWhenChanged';

/** A message for each field that is wrong; empty when all are right. */
export type FieldErrors = Partial<Record<FieldName, string>>;

/**
 * What is wrong with each field of `actions`: the parser's message, with the
 * position it gives, or why the kernel could not check.
 */
export async function validateActions(
  actions: IBreakpointActions,
  bridge: BreakpointActionsService.IBridge | null,
  trans: TranslationBundle
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (actions.hit && (!Number.isInteger(actions.hit.n) || actions.hit.n < 1)) {
    errors.hit = trans.__('The hit count must be a whole number of at least 1.');
  }
  if (!bridge) {
    return errors;
  }
  const checks: Promise<void>[] = [];
  const check = (
    field: FieldName,
    expression: string | null,
    mode: 'eval' | 'log',
    label?: string
  ) => {
    if (expression === null || expression.trim() === '') {
      return;
    }
    checks.push(
      bridge
        .request('validate', { expression, mode })
        .then(result => {
          if (!result.ok && errors[field] === undefined) {
            errors[field] = describe(result, trans, label);
          }
        })
        .catch(reason => {
          errors[field] ??= trans.__(
            'The kernel could not check this (%1). Start the kernel and try again.',
            reason instanceof Error ? reason.message : String(reason)
          );
        })
    );
  };
  check('condition', actions.condition, 'eval');
  check('log', actions.log, 'log');
  actions.record.forEach(r => check('record', r, 'eval', r));
  check('stopWhenChanged', actions.stopWhenChanged, 'eval');
  await Promise.all(checks);
  return errors;
}

function describe(
  result: IValidation,
  trans: TranslationBundle,
  label?: string
): string {
  const message = result.message ?? trans.__('invalid syntax');
  const where =
    result.offset !== null ? trans.__(' (column %1)', result.offset) : '';
  return label
    ? trans.__('%1: %2%3', label, message, where)
    : `${message}${where}`;
}
