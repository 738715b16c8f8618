/**
 * The groups of rows the Variable Values section shows: a values reply as
 * groups, one per live frame; in the Scope pattern, rows headed Local,
 * Enclosing and Global, and the words for a name that hides another. Pure:
 * the service calls it on each reply, the body on each shadowing row.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ILive, IRow, IValues, RowScope } from '../kernel/protocol';
import { isLive, ROW_SCOPES } from '../kernel/protocol';
import type { ITarget } from '../live/target';
import type { VariableValuesModel } from './model';

/**
 * Rows for the model from a values reply; live frames each get a group.
 * `grouped`: the reply was asked grouped by scope, and each group is split
 * into Local, Enclosing and Global.
 */
export function toValues(
  target: ITarget,
  result: IValues | ILive,
  trans: TranslationBundle,
  grouped = false
): VariableValuesModel.IValues {
  if (!isLive(result)) {
    const group = {
      id: target.mode,
      label: null,
      historyScope: target.historyScope,
      rows: result.rows
    };
    return {
      mode: target.mode,
      scopeLabel: target.label,
      truncated: result.truncated,
      groups: grouped
        ? splitByScope(group, target.mode === 'globals' ? 'global' : 'local', trans)
        : [group]
    };
  }
  // The build targets ES2018, which has no flatMap.
  const frames = ([] as ReturnType<typeof splitByScope>).concat(
    ...result.frames.map((frame, index) => {
      const group = {
        id: `frame:${index}`,
        label: trans.__('%1 line %2 (%3)', frame.name, frame.line, frame.thread),
        historyScope: frame.name,
        rows: frame.rows
      };
      return grouped ? splitByScope(group, 'local', trans, group.label) : [group];
    })
  );
  const globals = {
    id: 'globals',
    label: trans.__('Globals'),
    historyScope: 'globals',
    rows: result.rows
  };
  return {
    mode: 'live',
    scopeLabel: trans._n(
      'live: %1 running frame',
      'live: %1 running frames',
      result.frames.length
    ),
    truncated: result.truncated,
    groups: [
      ...frames,
      ...(grouped ? splitByScope(globals, 'global', trans) : [globals])
    ]
  };
}

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
