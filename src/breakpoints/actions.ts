/**
 * A breakpoint's actions: the fields of the probe's spec, their defaults, and
 * the conversions every other part of the feature shares. Pure.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IActionSpec, IHitRule } from '../kernel/protocol';

/** What a breakpoint does on each pass, beyond stopping. */
export interface IBreakpointActions {
  /** A Python expression in the frame; the pass counts as a hit only when true. */
  condition: string | null;
  /** Which hits act. */
  hit: IHitRule | null;
  /** Text with `{expression}` parts, logged on each hit. */
  log: string | null;
  /** Expressions whose values each hit records in the trace. */
  record: string[];
  /** Stop only when a tensor in the frame holds NaN/Inf. */
  checkTensors: boolean;
  /** Stop only when this expression's fingerprint changed since the last hit. */
  stopWhenChanged: string | null;
  /** Never stop: trace only. */
  continue: boolean;
  /** Remove the breakpoint after its first hit. */
  once: boolean;
}

/** A breakpoint the user set: where it is, and what it does. */
export interface IStoredBreakpoint {
  /** Stable: the probe's spec id, and how metadata names it. */
  readonly id: string;
  /**
   * The notebook cell it belongs to; for a file editor's or kernel source's
   * breakpoint, that file's path (see files.ts).
   */
  readonly cellId: string;
  /** 1-based line in the cell's source. */
  readonly line: number;
  readonly actions: IBreakpointActions;
}

/** A plain breakpoint's actions: none. */
export const NO_ACTIONS: IBreakpointActions = Object.freeze({
  condition: null,
  hit: null,
  log: null,
  record: [],
  checkTensors: false,
  stopWhenChanged: null,
  continue: false,
  once: false
});

/** Whether the breakpoint needs the probe, or is a plain line breakpoint. */
export function hasActions(actions: IBreakpointActions): boolean {
  return (
    actions.condition !== null ||
    actions.hit !== null ||
    actions.log !== null ||
    actions.record.length > 0 ||
    actions.checkTensors ||
    actions.stopWhenChanged !== null ||
    actions.continue ||
    actions.once
  );
}

/** Whether two sets of actions are the same. */
export function sameActions(
  a: IBreakpointActions,
  b: IBreakpointActions
): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

/** The actions with blank texts turned into null and blank records dropped. */
export function normalise(actions: IBreakpointActions): IBreakpointActions {
  const text = (value: string | null) =>
    value !== null && value.trim() !== '' ? value : null;
  return {
    condition: text(actions.condition),
    hit: actions.hit ? { mode: actions.hit.mode, n: actions.hit.n } : null,
    log: text(actions.log),
    record: actions.record.filter(r => r.trim() !== ''),
    checkTensors: actions.checkTensors,
    stopWhenChanged: text(actions.stopWhenChanged),
    continue: actions.continue,
    once: actions.once
  };
}

/** The spec the probe's `set_actions` takes for a breakpoint. */
export function toSpec(breakpoint: IStoredBreakpoint): IActionSpec {
  const a = breakpoint.actions;
  return {
    id: breakpoint.id,
    condition: a.condition,
    hit: a.hit,
    log: a.log,
    record: [...a.record],
    check_tensors: a.checkTensors,
    stop_when_changed: a.stopWhenChanged,
    continue: a.continue,
    once: a.once
  };
}

/**
 * One sentence that says what a breakpoint does, for its gutter tooltip:
 * "Stops when i % 10 == 3, on every 10th hit; logs 'loss={loss}'".
 */
export function describeActions(
  actions: IBreakpointActions,
  trans: TranslationBundle
): string {
  const stops = !actions.continue;
  const parts: string[] = [];
  let head: string;
  if (!stops) {
    head = actions.condition
      ? trans.__('Never stops; acts when %1', actions.condition)
      : trans.__('Never stops');
  } else if (actions.checkTensors && actions.stopWhenChanged) {
    head = trans.__(
      'Stops when a tensor holds NaN/Inf or %1 changed',
      actions.stopWhenChanged
    );
  } else if (actions.checkTensors) {
    head = trans.__('Stops when a tensor in the frame holds NaN/Inf');
  } else if (actions.stopWhenChanged) {
    head = trans.__('Stops when %1 changed', actions.stopWhenChanged);
  } else {
    head = actions.condition
      ? trans.__('Stops when %1', actions.condition)
      : trans.__('Stops');
  }
  if (stops && actions.condition && (actions.checkTensors || actions.stopWhenChanged)) {
    head += trans.__(', if %1', actions.condition);
  }
  if (actions.hit) {
    head += ', ' + describeHit(actions.hit, trans);
  }
  parts.push(head);
  if (actions.log) {
    parts.push(trans.__("logs '%1'", actions.log));
  }
  if (actions.record.length) {
    parts.push(trans.__('records %1', actions.record.join(', ')));
  }
  if (actions.once) {
    parts.push(trans.__('removed after its first hit'));
  }
  return parts.join('; ');
}

function describeHit(hit: IHitRule, trans: TranslationBundle): string {
  switch (hit.mode) {
    case 'eq':
      return trans.__('on hit %1 only', hit.n);
    case 'ge':
      return trans.__('from hit %1 on', hit.n);
    case 'every':
      return hit.n === 1
        ? trans.__('on every hit')
        : trans.__('on every %1th hit', hit.n);
  }
}
