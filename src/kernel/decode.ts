/**
 * The one decoder: every reply from the probe passes through `decodeReply` and
 * the per-operation decoders, so the rest of the frontend can trust its types.
 *
 * Pure: no I/O. Tested on replies captured from a real kernel.
 */
import type {
  IChildren,
  IFrameRef,
  ICrashRecorderState,
  IHello,
  ILive,
  IRepr,
  IReveal,
  IRow,
  ISecrets,
  ISetActions,
  IStats,
  ITrace,
  ITraceRow,
  ITraceValue,
  IValidation,
  IValues,
  IWatch,
  IWatchRow,
  PathStep,
  ProbeErrorKind,
  RawReply,
  RowKind,
  RowScope
} from './protocol';
import { PROTOCOL_VERSION, ProbeError, ROW_KINDS, ROW_SCOPES } from './protocol';

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
    loaded: typeof o.loaded === 'string' ? o.loaded : null,
    crashRecorder: decodeCrashRecorder(o.crash_recorder)
  };
}

/** The hello's crash recorder state; null when the probe does not say (an older probe). */
function decodeCrashRecorder(data: unknown): ICrashRecorderState | null {
  if (data === undefined || data === null) {
    return null;
  }
  const o = asObject(data, 'hello.crash_recorder');
  if (typeof o.armed !== 'boolean') {
    throw new ProbeError('protocol', 'Malformed hello.crash_recorder.armed from the kernel probe.');
  }
  return {
    armed: o.armed,
    reason: typeof o.reason === 'string' ? o.reason : null
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

/** Decode a reveal result: the one value asked for, unmasked. */
export function decodeReveal(data: unknown): IReveal {
  const o = asObject(data, 'reveal');
  const row = asObject(o.row, 'reveal.row');
  return { row: decodeRow(row), number: optFinite(row.number) };
}

/** Decode the masking in force. */
export function decodeSecrets(data: unknown): ISecrets {
  const o = asObject(data, 'secrets');
  return {
    on: o.on === true,
    names: asArray(o.names, 'secrets.names').map(n => asString(n, 'secrets.name'))
  };
}

/** Decode a watch result: rows with their numbers. */
export function decodeWatch(data: unknown): IWatch {
  const o = asObject(data, 'watch');
  return {
    rows: asArray(o.rows, 'watch.rows').map(
      (r): IWatchRow => {
        const raw = asObject(r, 'row');
        const contract = raw.contract ? asObject(raw.contract, 'row.contract') : null;
        return {
          ...decodeRow(r),
          number: optFinite(raw.number),
          contract: contract
            ? { ok: contract.ok === true, message: asString(contract.message, 'contract.message') }
            : null
        };
      }
    ),
    elapsedMs: optNumber(o.elapsed_ms) ?? 0
  };
}

/** Decode a trace result: the rows recorded from `since` on. */
export function decodeTrace(data: unknown): ITrace {
  const o = asObject(data, 'trace');
  const counts: Record<string, number> = {};
  if (o.counts) {
    for (const [id, n] of Object.entries(asObject(o.counts, 'trace.counts'))) {
      counts[id] = asNumber(n, 'trace.count');
    }
  }
  return {
    rows: asArray(o.rows, 'trace.rows').map(decodeTraceRow),
    next: asNumber(o.next, 'trace.next'),
    dropped: optNumber(o.dropped) ?? 0,
    counts
  };
}

/** Decode one trace row. */
export function decodeTraceRow(data: unknown): ITraceRow {
  const o = asObject(data, 'trace row');
  const values: Record<string, ITraceValue> = {};
  for (const [expr, v] of Object.entries(asObject(o.values ?? {}, 'trace.values'))) {
    const vo = asObject(v, 'trace value');
    values[expr] = {
      number: optFinite(vo.number),
      summary: asString(vo.summary, 'trace value.summary')
    };
  }
  return {
    seq: asNumber(o.seq, 'trace.seq'),
    time: asNumber(o.time, 'trace.time'),
    bp: asString(o.bp, 'trace.bp'),
    path: asString(o.path, 'trace.path'),
    line: asNumber(o.line, 'trace.line'),
    hit: optNumber(o.hit) ?? 0,
    log: typeof o.log === 'string' ? o.log : null,
    values,
    error: typeof o.error === 'string' ? o.error : null,
    stopped: o.stopped === true,
    reason: typeof o.reason === 'string' ? o.reason : null,
    removed: o.removed === true
  };
}

/** Decode a set_actions result. */
export function decodeSetActions(data: unknown): ISetActions {
  const o = asObject(data, 'set_actions');
  const errors: Record<string, string> = {};
  for (const [id, message] of Object.entries(
    asObject(o.errors ?? {}, 'set_actions.errors')
  )) {
    errors[id] = asString(message, 'set_actions error');
  }
  return {
    ids: asArray(o.ids, 'set_actions.ids').map(id => asString(id, 'id')),
    errors
  };
}

/** Decode a validate result. */
export function decodeValidation(data: unknown): IValidation {
  const o = asObject(data, 'validation');
  return {
    ok: o.ok === true,
    message: typeof o.message === 'string' ? o.message : null,
    line: optNumber(o.line),
    offset: optNumber(o.offset)
  };
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
    error: typeof o.error === 'string' ? o.error : null,
    masked: o.masked === true,
    ...decodeRowScope(o)
  };
}

/** A scope-grouped row's `scope` and `shadows`; nothing for rows without them. */
function decodeRowScope(o: Record<string, unknown>): Partial<IRow> {
  const shadows = o.shadows === 'builtin' || o.shadows === 'global' ? o.shadows : null;
  const grouped = (ROW_SCOPES as readonly unknown[]).includes(o.scope);
  return grouped ? { scope: o.scope as RowScope, shadows } : {};
}

/** Decode one path step. */
export function decodePathStep(data: unknown): PathStep {
  const o = asObject(data, 'path step');
  switch (o.kind) {
    case 'name':
    case 'global':
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

export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProbeError('protocol', `Malformed ${what} from the kernel probe.`);
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ProbeError('protocol', `Malformed ${what} from the kernel probe.`);
  }
  return value;
}

export function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new ProbeError('protocol', `Malformed ${what} from the kernel probe.`);
  }
  return value;
}

export function asNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ProbeError('protocol', `Malformed ${what} from the kernel probe.`);
  }
  return value;
}

export function optNumber(value: unknown): number | null {
  return typeof value === 'number' && !Number.isNaN(value) ? value : null;
}

export function optFinite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function optBool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}
