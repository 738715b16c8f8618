/**
 * The Scope pattern in the Variable Values section: rows headed Local,
 * Enclosing and Global, and the words for a name that hides another. Pure:
 * the service calls it on each reply, the body on each shadowing row.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IRow, RowScope } from '../kernel/protocol';
import { ROW_SCOPES } from '../kernel/protocol';
import type { VariableValuesModel } from './model';

/**
 * Split one group's rows by scope, in the order Local, Enclosing, Global;
 * empty groups are left out. `context` (a live frame's label) is added to
 * each heading. Rows without a scope count as `fallback`; a group none of
 * whose rows has one (a probe that cannot group) stays as it was.
 */
export function splitByScope(
  group: VariableValuesModel.IGroup,
  fallback: RowScope,
  trans: TranslationBundle,
  context: string | null = null
): VariableValuesModel.IGroup[] {
  if (group.rows.length > 0 && group.rows.every(r => r.scope === undefined)) {
    return [group];
  }
  const split: VariableValuesModel.IGroup[] = [];
  for (const scope of ROW_SCOPES) {
    const rows = group.rows.filter(r => (r.scope ?? fallback) === scope);
    if (rows.length === 0) {
      continue;
    }
    const heading = scopeHeading(scope, trans);
    split.push({
      id: `${group.id}:${scope}`,
      label: context === null ? heading : trans.__('%1: %2', heading, context),
      // A global's history is the namespace's, whichever frame showed it.
      historyScope: scope === 'global' ? 'globals' : group.historyScope,
      rows
    });
  }
  return split;
}

/** The heading of a scope's group. */
export function scopeHeading(scope: RowScope, trans: TranslationBundle): string {
  switch (scope) {
    case 'local':
      return trans.__('Local');
    case 'enclosing':
      return trans.__('Enclosing');
    default:
      return trans.__('Global');
  }
}

/** The flag on a row whose name hides another, and its explanation. */
export interface IShadowFlag {
  text: string;
  title: string;
}

/** The flag for a row that hides a builtin or a global; null for the others. */
export function shadowFlag(row: IRow, trans: TranslationBundle): IShadowFlag | null {
  if (row.shadows === 'global') {
    return {
      text: trans.__('shadows global'),
      title:
        row.scope === 'enclosing'
          ? trans.__(
              'This variable of an enclosing function hides the global %1: here, %1 means this value.',
              row.name
            )
          : trans.__(
              'This local hides the global of the same name: here, %1 means this value, not the global %1.',
              row.name
            )
    };
  }
  if (row.shadows === 'builtin') {
    return {
      text: trans.__('shadows builtin'),
      title:
        row.scope === 'global'
          ? trans.__(
              "This global hides Python's builtin %1: wherever it is seen, %1 means this value.",
              row.name
            )
          : trans.__(
              "This name hides Python's builtin %1: here, %1 means this value.",
              row.name
            )
    };
  }
  return null;
}
