/**
 * The probe's wire protocol, mirrored from jupyterlab_ml_debugger/probe/protocol.py,
 * and the one decoder that turns every reply into typed objects.
 *
 * Pure: no I/O. Everything that arrives from a kernel passes through `decodeReply`
 * and the per-operation decoders below, so the rest of the frontend can trust types.
 */

/** Bumped when a key changes meaning; must equal the probe's PROTOCOL_VERSION. */
export const PROTOCOL_VERSION = 1;

/** The comm target the probe registers in the kernel. */
export const COMM_TARGET = 'jupyterlab-ml-debugger';

/** How a row is reached from its scope. */
export type PathStep =
  | { kind: 'name'; name: string }
  | { kind: 'frame'; index: number }
  | { kind: 'attr'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'key'; index: number };

/** A frame as the debugger's call stack lists it. */
export interface IFrameRef {
  path: string;
  name: string;
  line: number;
}

/** Which values a request is about. */
export type Scope =
  | { kind: 'frame'; frames: IFrameRef[]; index: number }
  | { kind: 'globals' }
  | { kind: 'live' };

/** Which figures of a numeric summary are exact (the others were sampled). */
export interface IExactness {
  min: boolean;
  max: boolean;
  mean: boolean;
  std: boolean;
  nan: boolean;
  inf: boolean;
}

/** Numeric summary of a tensor or array. */
export interface IStats {
  shape: number[];
  dtype: string;
  device: string;
  numel: number;
  requiresGrad: boolean | null;
  hasGrad: boolean | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  nan: number | null;
  inf: number | null;
  exact: IExactness;
  note: string | null;
}

/** The kinds of value a row can show. */
export const ROW_KINDS = [
  'tensor',
  'ndarray',
  'dataframe',
  'series',
  'container',
  'mapping',
  'scalar',
  'text',
  'object',
  'module',
  'function',
  'class',
  'property',
  'error'
] as const;

export type RowKind = (typeof ROW_KINDS)[number];

/** One value, summarised in one line. */
export interface IRow {
  name: string;
  type: string;
  kind: RowKind;
  summary: string;
  size: number;
  nonfinite: boolean;
  expandable: boolean;
  path: PathStep[];
  stats: IStats | null;
  error: string | null;
}

/** What the probe says about itself. */
export interface IHello {
  protocol: number;
  version: string;
  thread: 'subshell' | 'main';
  pid: number;
  features: string[];
  loaded: string | null;
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
export interface IOperations {
  hello: { args: Record<string, never>; result: IHello };
  values: {
    args: { scope: Scope; budget_ms?: number; value_budget_ms?: number };
    result: IValues | ILive;
  };
  children: {
    args: { scope: Scope; path: PathStep[]; budget_ms?: number };
    result: IChildren;
  };
  repr: {
    args: { scope: Scope; path: PathStep[]; timeout_ms?: number };
    result: IRepr;
  };
}

export type Operation = keyof IOperations;

/** A request as it travels to the probe. */
export interface IRequest<K extends Operation = Operation> {
  id: number;
  op: K;
  args: IOperations[K]['args'];
}

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

/** Check a comm message's data as a reply envelope. */
export function decodeReply(data: unknown): RawReply {
  const obj = asObject(data, 'reply');
  const id = asNumber(obj.id, 'reply.id');
  if (obj.v !== PROTOCOL_VERSION) {
    return {
      id,
      ok: false,
      error: new ProbeError(
        'protocol',
        `The kernel's probe speaks protocol ${String(obj.v)}, this extension ${PROTOCOL_VERSION}. Restart the kernel to load the matching probe.`
      )
    };
  }
  if (obj.ok === true) {
    return { id, ok: true, result: obj.result };
  }
  const err = asObject(obj.error, 'reply.error');
  return {
    id,
    ok: false,
    error: new ProbeError(
      asString(err.kind, 'error.kind') as ProbeErrorKind,
      asString(err.message, 'error.message')
    )
  };
}

/** Decode the result of an operation into its typed form. */
export function decodeResult<K extends Operation>(
  op: K,
  result: unknown
): IOperations[K]['result'] {
  switch (op) {
    case 'hello':
      return decodeHello(result) as IOperations[K]['result'];
    case 'values':
      return decodeValuesOrLive(result) as IOperations[K]['result'];
    case 'children':
      return decodeChildren(result) as IOperations[K]['result'];
    case 'repr':
      return decodeRepr(result) as IOperations[K]['result'];
    default:
      throw new ProbeError('protocol', `Unknown operation ${String(op)}`);
  }
}

/** Decode a hello result. */
export function decodeHello(data: unknown): IHello {
  const o = asObject(data, 'hello');
  return {
    protocol: asNumber(o.protocol, 'hello.protocol'),
    version: asString(o.version, 'hello.version'),
    thread: o.thread === 'subshell' ? 'subshell' : 'main',
    pid: asNumber(o.pid, 'hello.pid'),
    features: asArray(o.features, 'hello.features').map(f =>
      asString(f, 'feature')
    ),
    loaded: typeof o.loaded === 'string' ? o.loaded : null
  };
}

/** Decode a values result, which is live when its scope was live. */
export function decodeValuesOrLive(data: unknown): IValues | ILive {
  const o = asObject(data, 'values');
  if ('running' in o) {
    return {
      running: o.running === true,
      rows: decodeRows(o.rows),
      frames: asArray(o.frames, 'live.frames').map(f => {
        const fo = asObject(f, 'live.frame');
        return {
          thread: asString(fo.thread, 'frame.thread'),
          path: asString(fo.path, 'frame.path'),
          name: asString(fo.name, 'frame.name'),
          line: asNumber(fo.line, 'frame.line'),
          rows: decodeRows(fo.rows)
        };
      }),
      truncated: o.truncated === true,
      elapsedMs: optNumber(o.elapsed_ms) ?? 0
    };
  }
  const scope = asObject(o.scope, 'values.scope');
  return {
    scope: {
      kind: asString(scope.kind, 'scope.kind'),
      thread: typeof scope.thread === 'string' ? scope.thread : null,
      frame: scope.frame ? decodeFrameRef(scope.frame) : null
    },
    rows: decodeRows(o.rows),
    truncated: o.truncated === true,
    elapsedMs: optNumber(o.elapsed_ms) ?? 0
  };
}

/** True when a values result came from a live scope. */
export function isLive(result: IValues | ILive): result is ILive {
  return 'running' in result;
}

/** Decode a children result. */
export function decodeChildren(data: unknown): IChildren {
  const o = asObject(data, 'children');
  return {
    rows: decodeRows(o.rows),
    truncated: o.truncated === true,
    elapsedMs: optNumber(o.elapsed_ms) ?? 0
  };
}

/** Decode a repr result. */
export function decodeRepr(data: unknown): IRepr {
  const o = asObject(data, 'repr');
  return { text: asString(o.text, 'repr.text'), truncated: o.truncated === true };
}

/** Decode a list of rows. */
export function decodeRows(data: unknown): IRow[] {
  return asArray(data, 'rows').map(decodeRow);
}

/** Decode one row; unknown kinds become "object" rather than failing the list. */
export function decodeRow(data: unknown): IRow {
  const o = asObject(data, 'row');
  const kind = (ROW_KINDS as readonly string[]).includes(o.kind as string)
    ? (o.kind as RowKind)
    : 'object';
  return {
    name: asString(o.name, 'row.name'),
    type: asString(o.type, 'row.type'),
    kind,
    summary: asString(o.summary, 'row.summary'),
    size: optNumber(o.size) ?? 0,
    nonfinite: o.nonfinite === true,
    expandable: o.expandable === true,
    path: asArray(o.path, 'row.path').map(decodePathStep),
    stats: o.stats ? decodeStats(o.stats) : null,
    error: typeof o.error === 'string' ? o.error : null
  };
}

/** Decode one path step. */
export function decodePathStep(data: unknown): PathStep {
  const o = asObject(data, 'path step');
  switch (o.kind) {
    case 'name':
    case 'attr':
      return { kind: o.kind, name: asString(o.name, 'step.name') };
    case 'frame':
    case 'index':
    case 'key':
      return { kind: o.kind, index: asNumber(o.index, 'step.index') };
    default:
      throw new ProbeError('protocol', `Unknown path step ${String(o.kind)}`);
  }
}

/** Decode numeric stats. */
export function decodeStats(data: unknown): IStats {
  const o = asObject(data, 'stats');
  const exact = o.exact ? asObject(o.exact, 'stats.exact') : {};
  return {
    shape: asArray(o.shape, 'stats.shape').map(d => asNumber(d, 'dim')),
    dtype: asString(o.dtype, 'stats.dtype'),
    device: typeof o.device === 'string' ? o.device : 'cpu',
    numel: optNumber(o.numel) ?? 0,
    requiresGrad: optBool(o.requires_grad),
    hasGrad: optBool(o.has_grad),
    min: optNumber(o.min),
    max: optNumber(o.max),
    mean: optNumber(o.mean),
    std: optNumber(o.std),
    nan: optNumber(o.nan),
    inf: optNumber(o.inf),
    exact: {
      min: exact.min === true,
      max: exact.max === true,
      mean: exact.mean === true,
      std: exact.std === true,
      nan: exact.nan === true,
      inf: exact.inf === true
    },
    note: typeof o.note === 'string' ? o.note : null
  };
}

function decodeFrameRef(data: unknown): IFrameRef {
  const o = asObject(data, 'frame');
  return {
    path: asString(o.path, 'frame.path'),
    name: asString(o.name, 'frame.name'),
    line: asNumber(o.line, 'frame.line')
  };
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProbeError('protocol', `Malformed ${what} from the kernel probe.`);
  }
  return value as Record<string, unknown>;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ProbeError('protocol', `Malformed ${what} from the kernel probe.`);
  }
  return value;
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new ProbeError('protocol', `Malformed ${what} from the kernel probe.`);
  }
  return value;
}

function asNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ProbeError('protocol', `Malformed ${what} from the kernel probe.`);
  }
  return value;
}

function optNumber(value: unknown): number | null {
  return typeof value === 'number' && !Number.isNaN(value) ? value : null;
}

function optBool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}
