/**
 * Which value a command is about: the one a right-click was on (a row of
 * Variable Values, a watch, or a variable of JupyterLab's own Variables
 * panel), the one its args name, or one the user types. Shared by "Show Type
 * Structure", "Open in Tensor Viewer" and the checks.
 */
import { InputDialog } from '@jupyterlab/apputils';
import type { IDebugger } from '@jupyterlab/debugger';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IRow } from '../kernel/protocol';
import type { Target } from '../kernel/structureProtocol';
import { splitContract } from '../watch/contract';

/** A value to show, with the name the user knows it by. */
export interface ISubject {
  label: string;
  target: Target;
  /** The row's kind when known (Variable Values and watches). */
  kind?: string;
}

/** The selectors whose context menus offer the value commands. */
export const VALUE_ROW_SELECTOR = '.jp-MLDebuggerValues-row';
export const WATCH_ROW_SELECTOR = '.jp-MLDebuggerWatch-row';
export const VARIABLE_SELECTOR = '.jp-DebuggerVariables-body .jp-TreeItem';
export const MODULE_ROW_SELECTOR = '.jp-MLDebuggerStructure-module';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where the subject of a right-click is read from. */
export interface ISubjectSources {
  /** A Variable Values row by its key. */
  valueRow(key: string): IRow | undefined;
  debugger: IDebugger;
}

/** The subject of the element a context menu was opened on, if any. */
export function subjectAt(node: HTMLElement, sources: ISubjectSources): ISubject | null {
  const valueRow = node.closest(VALUE_ROW_SELECTOR);
  if (valueRow) {
    const key = valueRow.querySelector<HTMLElement>('[data-key]')?.dataset.key;
    const row = key === undefined ? undefined : sources.valueRow(key);
    return row ? { label: labelOf(row), target: { path: row.path }, kind: row.kind } : null;
  }
  const watchRow = node.closest<HTMLElement>(WATCH_ROW_SELECTOR);
  if (watchRow?.dataset.name) {
    const { expression } = splitContract(watchRow.dataset.name);
    return { label: expression, target: { expression }, kind: watchRow.dataset.kind };
  }
  const moduleRow = node.closest<HTMLElement>(MODULE_ROW_SELECTOR);
  if (moduleRow && moduleRow.dataset.path !== undefined) {
    return subjectOfModule(moduleRow);
  }
  if (node.closest(VARIABLE_SELECTOR)) {
    const variable = sources.debugger.model.variables.selectedVariable;
    return variable ? subjectOfVariable(variable) : null;
  }
  return null;
}

/**
 * A variable of the built-in panel: a plain name is looked up without running
 * code; a nested item by the expression the debugger gives for it.
 */
export function subjectOfVariable(variable: IDebugger.IVariable): ISubject | null {
  const expression = variable.evaluateName || variable.name;
  if (!expression) {
    return null;
  }
  return IDENTIFIER.test(expression)
    ? { label: expression, target: { path: [{ kind: 'name', name: expression }] } }
    : { label: expression, target: { expression } };
}

/** A subject typed by the user: a name, or any expression. */
export function subjectOfExpression(text: string): ISubject | null {
  const expression = text.trim();
  if (!expression) {
    return null;
  }
  return IDENTIFIER.test(expression)
    ? { label: expression, target: { path: [{ kind: 'name', name: expression }] } }
    : { label: expression, target: { expression } };
}

/**
 * The subject a command was run on: from its args (`label` with `path` or
 * `expression`), else from the element a context menu was opened on, else
 * null (the palette: ask for a name).
 */
export function subjectOfArgs(
  args: ReadonlyPartialJSONObject,
  fromContextMenu: () => ISubject | null
): ISubject | null {
  const label = typeof args.label === 'string' ? args.label : null;
  if (label && Array.isArray(args.path)) {
    return { label, target: { path: args.path } as unknown as Target };
  }
  if (label && typeof args.expression === 'string') {
    return { label, target: { expression: args.expression } };
  }
  return args.palette ? null : fromContextMenu();
}

/** Ask the user for a name or expression; null when cancelled. */
export async function askSubject(trans: TranslationBundle, title: string): Promise<ISubject | null> {
  const result = await InputDialog.getText({
    title,
    label: trans.__('A name, or an expression evaluated where the debugger stands'),
    placeholder: 'model'
  });
  return result.button.accept && result.value ? subjectOfExpression(result.value) : null;
}

/** `model.fc.weight` for a row reached by attribute steps; its name otherwise. */
function labelOf(row: IRow): string {
  const parts: string[] = [];
  for (const step of row.path) {
    if (step.kind === 'name') {
      parts.push(step.name);
    } else if (step.kind === 'attr') {
      parts.push(`.${step.name}`);
    } else if (step.kind === 'index' || step.kind === 'key') {
      parts.push(`[${step.index}]`);
    }
  }
  return parts.join('') || row.name;
}

/**
 * A module row of Type Structure: the model the section shows (its body
 * carries it as data) or, for a submodule, `get_submodule` on it.
 */
function subjectOfModule(row: HTMLElement): ISubject | null {
  const body = row.closest<HTMLElement>('[data-subject]');
  let root: ISubject;
  try {
    root = JSON.parse(body?.dataset.subject ?? '') as ISubject;
  } catch {
    return null;
  }
  const path = row.dataset.path ?? '';
  if (!path) {
    return { ...root, kind: 'module' };
  }
  const base = expressionOf(root.target);
  return base === null
    ? null
    : {
        label: `${root.label}.${path}`,
        target: { expression: `(${base}).get_submodule(${JSON.stringify(path)})` },
        kind: 'module'
      };
}

/** A target as a Python expression, when its path can be written as one. */
export function expressionOf(target: Target): string | null {
  if ('expression' in target) {
    return target.expression;
  }
  let text = '';
  for (const step of target.path) {
    if (step.kind === 'name' && !text) {
      text = step.name;
    } else if (step.kind === 'attr') {
      text += `.${step.name}`;
    } else {
      return null;
    }
  }
  return text || null;
}
