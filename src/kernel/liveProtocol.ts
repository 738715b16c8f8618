/**
 * The probe's live-inspection shapes, mirrored from the `threads`, `counters`,
 * `postmortem` and `modules` sections of
 * jupyterlab_ml_debugger/probe/protocol_live.py. Pure types, in camelCase;
 * `decodeLive.ts` turns what arrives (snake_case) into them.
 */
import type { IRow } from './rowsProtocol';

/** One frame of a thread's stack or of an exception's traceback. */
export interface IThreadFrame {
  path: string;
  name: string;
  line: number;
  /** A cell's frame or one of the user's modules, not a library's. */
  user: boolean;
  /** The stripped source line, when the source is known. */
  code: string | null;
  /** Local-value summaries; empty when not asked for or out of budget. */
  rows: IRow[];
}

export type ThreadKind = 'main' | 'user' | 'kernel' | 'debugger' | 'probe';

/** Active Thread (runs on a CPU), Blocked Thread (waits), or unknown when the probe cannot tell. */
export type ThreadState = 'active' | 'blocked' | 'unknown';

export type WaitKind =
  | 'lock'
  | 'rlock'
  | 'condition'
  | 'semaphore'
  | 'queue-get'
  | 'queue-put'
  | 'event'
  | 'join';

/** What a blocked thread waits on, and who holds it. */
export interface IWait {
  kind: WaitKind;
  /** How the waiting frame names the object, e.g. `cs1`. */
  label: string;
  /** Its type and address. */
  object: string;
  owner: number | null;
  ownerName: string | null;
  /** False for a plain Lock no frame shows held: "owner unknown". */
  ownerKnown: boolean;
  /** Threads whose frames show them inside a `with` on it. */
  holders: number[];
  detail: string | null;
  /** One sentence saying all of it. */
  text: string;
}

export interface IThread {
  id: number;
  nativeId: number | null;
  name: string;
  kind: ThreadKind;
  daemon: boolean | null;
  state: ThreadState;
  /** What a blocked thread waits on, e.g. "sleeps in time.sleep"; null unless blocked. */
  blockedOn: string | null;
  /** Blocking Module: the module whose call holds the wait, e.g. `queue`; `__main__` for a cell's code. */
  blockingModule: string | null;
  cpuMs: number | null;
  /** CPU seconds per wall second since the previous sample; 1 = one core. */
  cpuShare: number | null;
  /** Innermost first. */
  frames: IThreadFrame[];
  framesTotal: number;
  wait: IWait | null;
}

export interface IDeadlockLink {
  thread: number;
  name: string;
  waitsFor: string;
  heldBy: number;
}

export interface IDeadlock {
  cycle: IDeadlockLink[];
  /** The main thread (the cell) is in the cycle. */
  main: boolean;
  text: string;
}

export interface IThreads {
  threads: IThread[];
  total: number;
  spiking: { id: number; name: string; share: number } | null;
  deadlocks: IDeadlock[];
  intervalMs: number | null;
  truncated: boolean;
  cut: string | null;
  elapsedMs: number;
}

export interface ICounter {
  /** `rss`, `py_heap`, `cuda_allocated:0`, `cuda_reserved:0`, `threads`, `children`, `fds`. */
  id: string;
  label: string;
  unit: 'bytes' | 'count' | 'ms';
  value: number | null;
  history: (number | null)[];
  note: string | null;
}

export interface IThreadCpu {
  id: number;
  name: string;
  cpuMs: number;
  share: number | null;
}

export interface ILeakFlag {
  /** The counter that only grew; null for a container that only grew ('container-leak'). */
  counter: string | null;
  kind: 'memory-leak' | 'handle-leak' | 'container-leak';
  message: string;
  growth: number;
  samples: number;
  /** `where`: what the instances run, where they are created or held; null when unknown. */
  types: { type: string; count: number; delta: number; where: string | null }[];
  containers: { path: string; length: number; delta: number }[];
  cut: string | null;
}

export interface ICounters {
  time: number;
  samples: number;
  counters: ICounter[];
  cpu: IThreadCpu[];
  flags: ILeakFlag[];
  elapsedMs: number;
}

export interface IChainLink {
  type: string;
  text: string;
  relation: 'raised' | 'cause' | 'context' | 'group';
  depth: number;
  /** Outermost first, as a traceback lists them. */
  frames: IThreadFrame[];
}

export interface IPostmortem {
  error: { id: string; chain: IChainLink[]; truncated: boolean } | null;
  elapsedMs: number;
}

export interface ILoadedModule {
  name: string;
  version: string | null;
  path: string | null;
  origin: 'stdlib' | 'site' | 'local' | 'builtin' | 'other';
  distribution: string | null;
}

export interface IModuleFlag {
  kind: 'shadowed' | 'two-versions' | 'mismatch' | 'missing';
  module: string;
  message: string;
}

export interface IModules {
  modules: ILoadedModule[];
  flags: IModuleFlag[];
  requirements: { path: string; checked: number; error: string | null } | null;
  total: number;
  truncated: boolean;
  elapsedMs: number;
}

/** The live-inspection operations, merged into `IOperations`. */
export interface ILiveOperations {
  threads: {
    args: {
      locals?: boolean;
      max_threads?: number;
      max_frames?: number;
      budget_ms?: number;
      value_budget_ms?: number;
    };
    result: IThreads;
  };
  counters: { args: Record<string, never>; result: ICounters };
  postmortem: {
    args: { budget_ms?: number; value_budget_ms?: number; max_frames?: number };
    result: IPostmortem;
  };
  modules: { args: { requirements?: string }; result: IModules };
  hang: { args: { threshold_s?: number }; result: IHang };
}

/** Waiting: no CPU used while standing still; spinning: a core busy inside a native call. */
export type HangKind = 'waiting' | 'spinning';

/** A DataLoader worker process of the kernel: alive, exited with a code, or killed by a signal. */
export interface IHangWorker {
  pid: number;
  alive: boolean;
  exitCode: number | null;
  /** e.g. `SIGKILL`, for a worker a signal ended. */
  signalName: string | null;
}

/** Hang: whether the running cell's main thread is stuck, how, and where. */
export interface IHang {
  /** Stood still for at least the threshold, waiting or spinning. */
  hung: boolean;
  /** How long it has stood still; null when the kernel runs no cell. */
  sinceS: number | null;
  kind: HangKind | null;
  thresholdS: number;
  /** The cell's frames of the main thread, innermost first. */
  stack: IThreadFrame[];
  /** What it is blocked on, in the Threads section's words (`waits for lock held`). */
  waitsOn: string | null;
  workers: IHangWorker[];
  elapsedMs: number;
}
