/**
 * The shapes the server extension's crash routes answer with, in the
 * camelCase of the rest of the frontend, and the decoders that check them.
 * A reply of another shape is an error that says so, never a half-read report.
 */

/** One frame of a thread's stack, as faulthandler wrote it at the fatal signal. */
export interface ICrashFrame {
  path: string;
  line: number;
  name: string;
}

export interface ICrashThread {
  name: string;
  /** The thread that received the signal. */
  current: boolean;
  /** Innermost first. */
  frames: ICrashFrame[];
}

/** The cell that ran last, from the kernel's last-cell marker. */
export interface ILastCell {
  executionCount: number | null;
  cellId: string | null;
  firstLine: string | null;
  line: number | null;
}

export interface IMemorySample {
  /** Seconds since the epoch. */
  t: number;
  rssBytes: number;
}

/** How one kernel process ended, kept by the server until dismissed. */
export interface ICrashReport {
  id: string;
  kernelId: string;
  /** ISO time of the death. */
  endedAt: string;
  pid: number;
  exitCode: number | null;
  signal: number | null;
  signalName: string | null;
  signalMeaning: string | null;
  /** One sentence: the likely cause, or that it cannot be known. */
  cause: string;
  /** Null: cannot be known. */
  oom: boolean | null;
  lastCell: ILastCell | null;
  threads: ICrashThread[];
  memory: IMemorySample[];
  memoryLimitBytes: number | null;
  recorderArmed: boolean;
}

export interface IOutsideFrame {
  name: string;
  path: string;
  line: number | null;
  /** A frame of C/C++ code, not Python. */
  native: boolean;
}

export interface IOutsideThread {
  id: number;
  name: string | null;
  /** Holds the GIL. */
  gil: boolean;
  /** Running on a CPU rather than waiting. */
  active: boolean;
  frames: IOutsideFrame[];
}

/** Every thread's stack read from outside the kernel's process by py-spy. */
export interface IOutsideStacks {
  ok: boolean;
  /** Why it could not, and what to change; null when ok. */
  message: string | null;
  elapsedMs: number;
  threads: IOutsideThread[];
}

/** The shape a reply did not have: the server and this page do not match. */
export class ReplyShapeError extends Error {
  constructor(
    /** What was malformed, e.g. "crash report cause". */
    readonly what: string
  ) {
    super(`Malformed ${what} from the ML debugger's server extension.`);
  }
}

type Obj = Record<string, unknown>;

function obj(value: unknown, what: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReplyShapeError(what);
  }
  return value as Obj;
}

function arr(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ReplyShapeError(what);
  }
  return value;
}

function str(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new ReplyShapeError(what);
  }
  return value;
}

function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ReplyShapeError(what);
  }
  return value;
}

const optStr = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const optNum = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const optBool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

function decodeLastCell(value: unknown): ILastCell | null {
  if (value === null || value === undefined) {
    return null;
  }
  const o = obj(value, 'last cell');
  return {
    executionCount: optNum(o.execution_count),
    cellId: optStr(o.cell_id),
    firstLine: optStr(o.first_line),
    line: optNum(o.line)
  };
}

function decodeThread(value: unknown): ICrashThread {
  const o = obj(value, 'crash thread');
  return {
    name: str(o.name, 'crash thread name'),
    current: o.current === true,
    frames: arr(o.frames, 'crash frames').map(f => {
      const frame = obj(f, 'crash frame');
      return {
        path: str(frame.path, 'crash frame path'),
        line: num(frame.line, 'crash frame line'),
        name: str(frame.name, 'crash frame name')
      };
    })
  };
}

/** One crash report. */
export function decodeCrashReport(value: unknown): ICrashReport {
  const o = obj(value, 'crash report');
  return {
    id: str(o.id, 'crash report id'),
    kernelId: str(o.kernel_id, 'crash report kernel id'),
    endedAt: str(o.ended_at, 'crash report time'),
    pid: num(o.pid, 'crash report pid'),
    exitCode: optNum(o.exit_code),
    signal: optNum(o.signal),
    signalName: optStr(o.signal_name),
    signalMeaning: optStr(o.signal_meaning),
    cause: str(o.cause, 'crash report cause'),
    oom: optBool(o.oom),
    lastCell: decodeLastCell(o.last_cell),
    threads: arr(o.threads ?? [], 'crash report threads').map(decodeThread),
    memory: arr(o.memory ?? [], 'crash report memory').map(m => {
      const sample = obj(m, 'memory sample');
      return { t: num(sample.t, 'memory sample time'), rssBytes: num(sample.rss_bytes, 'memory sample') };
    }),
    memoryLimitBytes: optNum(o.memory_limit_bytes),
    recorderArmed: o.recorder_armed === true
  };
}

/** The `GET crashes` reply: the kernel's reports, newest first. */
export function decodeCrashReports(value: unknown): ICrashReport[] {
  return arr(obj(value, 'list of crash reports').reports, 'list of crash reports').map(decodeCrashReport);
}

/** The `POST stacks` reply. */
export function decodeOutsideStacks(value: unknown): IOutsideStacks {
  const o = obj(value, 'stacks reply');
  return {
    ok: o.ok === true,
    message: optStr(o.message),
    elapsedMs: optNum(o.elapsed_ms) ?? 0,
    threads: arr(o.threads ?? [], 'stacks threads').map(t => {
      const thread = obj(t, 'stacks thread');
      return {
        id: num(thread.id, 'stacks thread id'),
        name: optStr(thread.name),
        gil: thread.gil === true,
        active: thread.active === true,
        frames: arr(thread.frames, 'stacks frames').map(f => {
          const frame = obj(f, 'stacks frame');
          return {
            name: str(frame.name, 'stacks frame name'),
            path: str(frame.path, 'stacks frame path'),
            line: optNum(frame.line),
            native: frame.native === true
          };
        })
      };
    })
  };
}
