/**
 * The probe's wire protocol, mirrored from jupyterlab_ml_debugger/probe/protocol.py.
 *
 * Pure types and constants; `decode.ts` turns what arrives into these types.
 * How a value is reached and summarised is in `rowsProtocol.ts`, breakpoint
 * actions' types in `actionsProtocol.ts`; both are re-exported here.
 */
import type { IActionSpec, ISetActions, IValidation } from './actionsProtocol';
import type { ILiveOperations } from './liveProtocol';
import type { IFrameRef, IRow, PathStep, Scope } from './rowsProtocol';
import type {
  IHistogram,
  ISlice,
  IStructure,
  ITable,
  Target
} from './structureProtocol';
import type {
  ICheckedStep,
  IDataDefects,
  INanReport,
  INanWatch,
  IScan,
  IShapeError
} from './checksProtocol';

/** Bumped when a key changes meaning; must equal the probe's PROTOCOL_VERSION. */
export const PROTOCOL_VERSION = 1;

/** The comm target the probe registers in the kernel. */
export const COMM_TARGET = 'jupyterlab-ml-debugger';

/** What the probe says about itself. */
export interface IHello {
  protocol: number;
  version: string;
  thread: 'subshell' | 'main';
  pid: number;
  features: string[];
  loaded: string | null;
  /** The kernel's crash recorder, armed by the first hello; null from an older probe. */
  crashRecorder: ICrashRecorderState | null;
}

/** Whether the crash recorder is armed in the kernel process, and if not, why. */
export interface ICrashRecorderState {
  armed: boolean;
  reason: string | null;
}

/** Values of a stopped frame or of the globals. */
export interface IValues {
  scope: { kind: string; thread: string | null; frame: IFrameRef | null };
  rows: IRow[];
  truncated: boolean;
  elapsedMs: number;
}

/** One running frame seen live. */
export interface ILiveFrame {
  thread: string;
  path: string;
  name: string;
  line: number;
  rows: IRow[];
}

/** Values of the running cell, read without pausing it. */
export interface ILive {
  running: boolean;
  rows: IRow[];
  frames: ILiveFrame[];
  truncated: boolean;
  elapsedMs: number;
}

/** The rows one level below a value. */
export interface IChildren {
  rows: IRow[];
  truncated: boolean;
  elapsedMs: number;
}

/** A value's own repr, asked for by the user. */
export interface IRepr {
  text: string;
  truncated: boolean;
}

/** One masked value, sent unmasked because the user asked to reveal it. */
export interface IReveal {
  row: IRow;
  /** A watch's number, as in `IWatchRow`; null for a row reached by a path. */
  number: number | null;
}

/** The masking of secrets in force in the kernel (Secrets). */
export interface ISecrets {
  /** Off: every value's text travels as it is. */
  on: boolean;
  /** Name patterns (globs over the normalised name; `!` exempts), as the probe's name rule reads them. */
  names: string[];
}

/** One watch expression's value: a row named by the expression, and its number. */
export interface IWatchRow extends IRow {
  /** A finite real scalar or one-element tensor, for sparklines; else null. */
  number: number | null;
  /** The shape contract attached to the watch, checked; null without one. */
  contract?: { ok: boolean; message: string } | null;
}

/** The values of the watch expressions, one row each, in order. */
export interface IWatch {
  rows: IWatchRow[];
  elapsedMs: number;
}

/** One recorded value of a trace row. */
export interface ITraceValue {
  /** Finite numbers only, for sparklines; NaN/Inf show in the summary. */
  number: number | null;
  summary: string;
}

/** One breakpoint hit (or one reported error) in the Code Trace. */
export interface ITraceRow {
  seq: number;
  /** Epoch seconds. */
  time: number;
  bp: string;
  path: string;
  line: number;
  hit: number;
  log: string | null;
  values: Record<string, ITraceValue>;
  error: string | null;
  stopped: boolean;
  reason: string | null;
  removed: boolean;
}

/** A batch of trace rows from `since` on. */
export interface ITrace {
  rows: ITraceRow[];
  /** The `since` of the next request. */
  next: number;
  /** Rows after `since` lost because the probe's ring overflowed. */
  dropped: number;
  /** Hits per breakpoint id. */
  counts: Record<string, number>;
}

/** Error kinds the probe reports, plus those the bridge adds. */
export type ProbeErrorKind =
  | 'bad-request'
  | 'no-frame'
  | 'no-value'
  | 'timeout'
  | 'internal'
  | 'protocol'
  | 'kernel-restarted'
  | 'kernel-dead'
  | 'no-subshells'
  | 'disposed';

/** An error from the probe or the bridge, with a kind the UI can act on. */
export class ProbeError extends Error {
  constructor(
    readonly kind: ProbeErrorKind,
    message: string
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

/** Arguments and results of every operation. */
export interface IOperations extends ILiveOperations {
  hello: { args: Record<string, never>; result: IHello };
  values: {
    args: {
      scope: Scope;
      budget_ms?: number;
      value_budget_ms?: number;
      /** "scope": rows carry `scope` and `shadows`; a frame lists its globals too. */
      group?: 'scope';
    };
    result: IValues | ILive;
  };
  children: {
    args: { scope: Scope; path: PathStep[]; budget_ms?: number };
    result: IChildren;
  };
  repr: {
    /** `reveal`: the row was revealed, so its repr comes unmasked too. */
    args: { scope: Scope; path: PathStep[]; timeout_ms?: number; reveal?: boolean };
    result: IRepr;
  };
  reveal: {
    args: { scope: Scope; target: Target; budget_ms?: number };
    result: IReveal;
  };
  secrets: { args: Partial<ISecrets>; result: ISecrets };
  watch: {
    args: {
      scope: Scope;
      expressions: string[];
      budget_ms?: number;
      expression_budget_ms?: number;
      /** Shape contracts by expression, e.g. `{ images: 'B 3 H W' }`. */
      contracts?: Record<string, string>;
    };
    result: IWatch;
  };
  trace: { args: { since?: number; limit?: number }; result: ITrace };
  clear_trace: {
    args: Record<string, never>;
    result: { cleared: number; next: number };
  };
  set_actions: {
    args: { breakpoints: IActionSpec[] };
    result: ISetActions;
  };
  validate: {
    args: { expression: string; mode?: 'eval' | 'log' };
    result: IValidation;
  };
  breakpoint_hook: {
    args: { on: boolean };
    result: { on: boolean; attached: boolean };
  };
  structure: {
    args: { scope: Scope; target: Target; max_nodes?: number; budget_ms?: number };
    result: IStructure;
  };
  record_shapes: {
    args: { scope: Scope; target: Target; on: boolean };
    result: { on: boolean; modules: number };
  };
  slice: {
    args: { scope: Scope; target: Target; axes?: number[]; index?: number[]; max?: number };
    result: ISlice;
  };
  histogram: {
    args: { scope: Scope; target: Target; bins?: number };
    result: IHistogram;
  };
  table: {
    args: { scope: Scope; target: Target; rows?: number };
    result: ITable;
  };
  scan: { args: { scope: Scope; budget_ms?: number }; result: IScan };
  nan_watch: {
    args:
      | {
          scope: Scope;
          target: Target;
          on: boolean;
          mode?: 'auto' | 'per-module';
          update_ratio?: boolean;
          health?: boolean;
        }
      | { label: string; on: false };
    result: INanWatch;
  };
  nan_report: { args: Record<string, never>; result: INanReport };
  explain_error: { args: Record<string, never>; result: { error: IShapeError | null } };
  checked_step_report: { args: Record<string, never>; result: ICheckedStep };
  data_defects: {
    args: { scope: Scope; target: Target; label?: string; other?: Target; budget_ms?: number };
    result: IDataDefects;
  };
}

export type Operation = keyof IOperations;

/** A request as it travels to the probe. */
export interface IRequest<K extends Operation = Operation> {
  id: number;
  op: K;
  args: IOperations[K]['args'];
}

/** One operation with its arguments, before it gets an id. */
export type OperationCall = {
  [K in Operation]: { op: K; args: IOperations[K]['args'] };
}[Operation];

/** A reply, checked for shape and version but with its result still raw. */
export type RawReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ProbeError };

/** Build a request message. */
export function encodeRequest<K extends Operation>(
  id: number,
  op: K,
  args: IOperations[K]['args']
): IRequest<K> {
  return { id, op, args };
}

/** True when a values result came from a live scope. */
export function isLive(result: IValues | ILive): result is ILive {
  return 'running' in result;
}

/** The module alias the probe registers for breakpoint conditions. */
export const ACTIONS_MODULE_ALIAS = '_jupyterlab_ml_debugger_actions';

/** The module name whose arm()/disarm() start and end a checked step on the stopped thread. */
export const CHECKED_MODULE_ALIAS = '_jupyterlab_ml_debugger_checked';

/**
 * The debugpy `condition` that routes a breakpoint's passes to the probe (the
 * probe's CONDITION_TEMPLATE), which then decides whether to stop.
 */
export function actionCondition(id: string): string {
  return `__import__("${ACTIONS_MODULE_ALIAS}").on_hit("${id}")`;
}

export type { IActionSpec, IHitRule, ISetActions, IValidation } from './actionsProtocol';
export { ROW_KINDS, ROW_SCOPES } from './rowsProtocol';
export type {
  IExactness,
  IFrameRef,
  IRow,
  IStats,
  PathStep,
  RowKind,
  RowScope,
  RowShadows,
  Scope
} from './rowsProtocol';
