/**
 * A cell's breakpoints as they are saved in its metadata, under
 * `jupyterlab-ml-debugger`: `{"breakpoints": [{"id", "line", ...spec fields}]}`,
 * spec fields as the probe names them and only where they differ from a plain
 * breakpoint. The user may edit or delete them there. Pure.
 */
import type { PartialJSONObject, PartialJSONValue } from '@lumino/coreutils';
import { UUID } from '@lumino/coreutils';
import type { IHitRule } from '../kernel/protocol';
import type { IBreakpointActions, IStoredBreakpoint } from './actions';
import { NO_ACTIONS, normalise, toSpec } from './actions';

/** The cell metadata key this extension owns. */
export const METADATA_KEY = 'jupyterlab-ml-debugger';

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The breakpoints saved in a cell's metadata value; entries that cannot be
 * read are left out, and a missing or malformed id gets a fresh one.
 */
export function readBreakpoints(
  value: unknown,
  cellId: string
): IStoredBreakpoint[] {
  const list = isObject(value) ? value.breakpoints : undefined;
  if (!Array.isArray(list)) {
    return [];
  }
  const out: IStoredBreakpoint[] = [];
  for (const entry of list) {
    if (!isObject(entry)) {
      continue;
    }
    const line = entry.line;
    if (typeof line !== 'number' || !Number.isInteger(line) || line < 1) {
      continue;
    }
    if (out.some(b => b.line === line)) {
      continue;
    }
    const id =
      typeof entry.id === 'string' &&
      ID_PATTERN.test(entry.id) &&
      !out.some(b => b.id === entry.id)
        ? entry.id
        : UUID.uuid4();
    out.push({ id, cellId, line, actions: readActions(entry) });
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * The metadata value that saves `breakpoints`, keeping whatever else other
 * parts of the extension keep under the key; undefined when nothing is left.
 */
export function writeBreakpoints(
  previous: unknown,
  breakpoints: readonly IStoredBreakpoint[]
): PartialJSONObject | undefined {
  const rest: PartialJSONObject = isObject(previous)
    ? { ...(previous as PartialJSONObject) }
    : {};
  delete rest.breakpoints;
  if (breakpoints.length) {
    rest.breakpoints = [...breakpoints]
      .sort((a, b) => a.line - b.line)
      .map(writeOne);
  }
  return Object.keys(rest).length ? rest : undefined;
}

function writeOne(breakpoint: IStoredBreakpoint): PartialJSONObject {
  const spec = toSpec(breakpoint);
  const out: PartialJSONObject = { id: spec.id, line: breakpoint.line };
  if (spec.condition !== null) {
    out.condition = spec.condition;
  }
  if (spec.hit !== null) {
    out.hit = { mode: spec.hit.mode, n: spec.hit.n };
  }
  if (spec.log !== null) {
    out.log = spec.log;
  }
  if (spec.record.length) {
    out.record = spec.record;
  }
  if (spec.check_tensors) {
    out.check_tensors = true;
  }
  if (spec.stop_when_changed !== null) {
    out.stop_when_changed = spec.stop_when_changed;
  }
  if (spec.continue) {
    out.continue = true;
  }
  if (spec.once) {
    out.once = true;
  }
  return out;
}

function readActions(entry: Record<string, unknown>): IBreakpointActions {
  const text = (key: string) =>
    typeof entry[key] === 'string' ? (entry[key] as string) : null;
  const flag = (key: string) => entry[key] === true;
  const hit = entry.hit;
  const rule =
    isObject(hit) &&
    (hit.mode === 'eq' || hit.mode === 'ge' || hit.mode === 'every') &&
    typeof hit.n === 'number' &&
    Number.isInteger(hit.n) &&
    hit.n >= 1
      ? { mode: hit.mode as IHitRule['mode'], n: hit.n }
      : null;
  const record = Array.isArray(entry.record)
    ? entry.record.filter((r): r is string => typeof r === 'string')
    : [];
  return normalise({
    ...NO_ACTIONS,
    condition: text('condition'),
    hit: rule,
    log: text('log'),
    record,
    checkTensors: flag('check_tensors'),
    stopWhenChanged: text('stop_when_changed'),
    continue: flag('continue'),
    once: flag('once')
  });
}

function isObject(
  value: unknown | PartialJSONValue
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
