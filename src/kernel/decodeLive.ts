/**
 * Decoders for the live-inspection results (`threads`, `counters`,
 * `postmortem`, `modules`): each checks the documented shape, turns
 * snake_case into the camelCase of liveProtocol.ts, and throws a `protocol`
 * ProbeError otherwise.
 */
import type {
  IChainLink,
  ICounter,
  ICounters,
  IDeadlock,
  IHang,
  IHangWorker,
  ILeakFlag,
  ILoadedModule,
  IModuleFlag,
  IModules,
  IPostmortem,
  IThread,
  IThreadCpu,
  IThreadFrame,
  IThreads,
  IWait,
  ThreadKind,
  ThreadState,
  WaitKind
} from './liveProtocol';
import { asArray, asNumber, asObject, asString, decodeRows, optBool, optNumber } from './decode';
import { ProbeError } from './protocol';

const optString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) {
    return value as T;
  }
  throw new ProbeError('protocol', `Malformed ${what} from the kernel probe.`);
}

const THREAD_KINDS: readonly ThreadKind[] = ['main', 'user', 'kernel', 'debugger', 'probe'];
const THREAD_STATES: readonly ThreadState[] = ['active', 'blocked', 'unknown'];
const WAIT_KINDS: readonly WaitKind[] = [
  'lock',
  'rlock',
  'condition',
  'semaphore',
  'queue-get',
  'queue-put',
  'event',
  'join'
];

/** One frame of a thread's stack or of a traceback. */
export function decodeThreadFrame(data: unknown): IThreadFrame {
  const o = asObject(data, 'frame');
  return {
    path: asString(o.path, 'frame.path'),
    name: asString(o.name, 'frame.name'),
    line: asNumber(o.line, 'frame.line'),
    user: o.user === true,
    code: optString(o.code),
    rows: o.rows === undefined ? [] : decodeRows(o.rows)
  };
}

function decodeWait(data: unknown): IWait | null {
  if (data === null || data === undefined) {
    return null;
  }
  const o = asObject(data, 'wait');
  return {
    kind: oneOf(o.kind, WAIT_KINDS, 'wait.kind'),
    label: asString(o.label, 'wait.label'),
    object: asString(o.object ?? '', 'wait.object'),
    owner: optNumber(o.owner),
    ownerName: optString(o.owner_name),
    ownerKnown: o.owner_known === true,
    holders: asArray(o.holders ?? [], 'wait.holders').map(h => asNumber(h, 'wait.holders')),
    detail: optString(o.detail),
    text: asString(o.text, 'wait.text')
  };
}

function decodeThread(data: unknown): IThread {
  const o = asObject(data, 'thread');
  // A state this frontend does not know (an older or newer probe) is shown as unknown, not refused.
  const state = THREAD_STATES.find(known => known === o.state) ?? 'unknown';
  return {
    id: asNumber(o.id, 'thread.id'),
    nativeId: optNumber(o.native_id),
    name: asString(o.name, 'thread.name'),
    kind: oneOf(o.kind, THREAD_KINDS, 'thread.kind'),
    daemon: optBool(o.daemon),
    state,
    blockedOn: optString(o.blocked_on),
    blockingModule: optString(o.blocking_module),
    cpuMs: optNumber(o.cpu_ms),
    cpuShare: optNumber(o.cpu_share),
    frames: asArray(o.frames, 'thread.frames').map(decodeThreadFrame),
    framesTotal: asNumber(o.frames_total ?? 0, 'thread.frames_total'),
    wait: decodeWait(o.wait)
  };
}

function decodeDeadlock(data: unknown): IDeadlock {
  const o = asObject(data, 'deadlock');
  return {
    cycle: asArray(o.cycle, 'deadlock.cycle').map(link => {
      const x = asObject(link, 'deadlock link');
      return {
        thread: asNumber(x.thread, 'deadlock.thread'),
        name: asString(x.name, 'deadlock.name'),
        waitsFor: asString(x.waits_for, 'deadlock.waits_for'),
        heldBy: asNumber(x.held_by, 'deadlock.held_by')
      };
    }),
    main: o.main === true,
    text: asString(o.text, 'deadlock.text')
  };
}

export function decodeThreads(data: unknown): IThreads {
  const o = asObject(data, 'threads');
  let spiking: IThreads['spiking'] = null;
  if (o.spiking !== null && o.spiking !== undefined) {
    const s = asObject(o.spiking, 'threads.spiking');
    spiking = {
      id: asNumber(s.id, 'spiking.id'),
      name: asString(s.name, 'spiking.name'),
      share: asNumber(s.share, 'spiking.share')
    };
  }
  return {
    threads: asArray(o.threads, 'threads.threads').map(decodeThread),
    total: asNumber(o.total, 'threads.total'),
    spiking,
    deadlocks: asArray(o.deadlocks ?? [], 'threads.deadlocks').map(decodeDeadlock),
    intervalMs: optNumber(o.interval_ms),
    truncated: o.truncated === true,
    cut: optString(o.cut),
    elapsedMs: asNumber(o.elapsed_ms ?? 0, 'threads.elapsed_ms')
  };
}

function decodeCounter(data: unknown): ICounter {
  const o = asObject(data, 'counter');
  return {
    id: asString(o.id, 'counter.id'),
    label: asString(o.label, 'counter.label'),
    unit: oneOf(o.unit, ['bytes', 'count', 'ms'] as const, 'counter.unit'),
    value: optNumber(o.value),
    history: asArray(o.history ?? [], 'counter.history').map(optNumber),
    note: optString(o.note)
  };
}

function decodeThreadCpu(data: unknown): IThreadCpu {
  const o = asObject(data, 'cpu');
  return {
    id: asNumber(o.id, 'cpu.id'),
    name: asString(o.name, 'cpu.name'),
    cpuMs: asNumber(o.cpu_ms, 'cpu.cpu_ms'),
    share: optNumber(o.share)
  };
}

function decodeLeakFlag(data: unknown): ILeakFlag {
  const o = asObject(data, 'leak flag');
  return {
    counter: optString(o.counter),
    kind: oneOf(o.kind, ['memory-leak', 'handle-leak', 'container-leak'] as const, 'flag.kind'),
    message: asString(o.message, 'flag.message'),
    growth: asNumber(o.growth, 'flag.growth'),
    samples: asNumber(o.samples, 'flag.samples'),
    types: asArray(o.types ?? [], 'flag.types').map(t => {
      const x = asObject(t, 'flag type');
      return {
        type: asString(x.type, 'type.type'),
        count: asNumber(x.count, 'type.count'),
        delta: asNumber(x.delta, 'type.delta'),
        where: optString(x.where)
      };
    }),
    containers: asArray(o.containers ?? [], 'flag.containers').map(c => {
      const x = asObject(c, 'flag container');
      return {
        path: asString(x.path, 'container.path'),
        length: asNumber(x.length, 'container.length'),
        delta: asNumber(x.delta, 'container.delta')
      };
    }),
    cut: optString(o.cut)
  };
}

export function decodeCounters(data: unknown): ICounters {
  const o = asObject(data, 'counters');
  return {
    time: asNumber(o.time, 'counters.time'),
    samples: asNumber(o.samples, 'counters.samples'),
    counters: asArray(o.counters, 'counters.counters').map(decodeCounter),
    cpu: asArray(o.cpu ?? [], 'counters.cpu').map(decodeThreadCpu),
    flags: asArray(o.flags ?? [], 'counters.flags').map(decodeLeakFlag),
    elapsedMs: asNumber(o.elapsed_ms ?? 0, 'counters.elapsed_ms')
  };
}

function decodeChainLink(data: unknown): IChainLink {
  const o = asObject(data, 'chain link');
  return {
    type: asString(o.type, 'link.type'),
    text: asString(o.text, 'link.text'),
    relation: oneOf(o.relation, ['raised', 'cause', 'context', 'group'] as const, 'link.relation'),
    depth: asNumber(o.depth ?? 0, 'link.depth'),
    frames: asArray(o.frames, 'link.frames').map(decodeThreadFrame)
  };
}

export function decodePostmortem(data: unknown): IPostmortem {
  const o = asObject(data, 'postmortem');
  let error: IPostmortem['error'] = null;
  if (o.error !== null && o.error !== undefined) {
    const e = asObject(o.error, 'postmortem.error');
    error = {
      id: asString(e.id, 'error.id'),
      chain: asArray(e.chain, 'error.chain').map(decodeChainLink),
      truncated: e.truncated === true
    };
  }
  return { error, elapsedMs: asNumber(o.elapsed_ms ?? 0, 'postmortem.elapsed_ms') };
}

const ORIGINS = ['stdlib', 'site', 'local', 'builtin', 'other'] as const;
const FLAG_KINDS = ['shadowed', 'two-versions', 'mismatch', 'missing'] as const;

function decodeModule(data: unknown): ILoadedModule {
  const o = asObject(data, 'module');
  return {
    name: asString(o.name, 'module.name'),
    version: optString(o.version),
    path: optString(o.path),
    origin: oneOf(o.origin, ORIGINS, 'module.origin'),
    distribution: optString(o.distribution)
  };
}

function decodeModuleFlag(data: unknown): IModuleFlag {
  const o = asObject(data, 'module flag');
  return {
    kind: oneOf(o.kind, FLAG_KINDS, 'flag.kind'),
    module: asString(o.module, 'flag.module'),
    message: asString(o.message, 'flag.message')
  };
}

export function decodeModules(data: unknown): IModules {
  const o = asObject(data, 'modules');
  let requirements: IModules['requirements'] = null;
  if (o.requirements !== null && o.requirements !== undefined) {
    const r = asObject(o.requirements, 'modules.requirements');
    requirements = {
      path: asString(r.path, 'requirements.path'),
      checked: asNumber(r.checked ?? 0, 'requirements.checked'),
      error: optString(r.error)
    };
  }
  return {
    modules: asArray(o.modules, 'modules.modules').map(decodeModule),
    flags: asArray(o.flags ?? [], 'modules.flags').map(decodeModuleFlag),
    requirements,
    total: asNumber(o.total, 'modules.total'),
    truncated: o.truncated === true,
    elapsedMs: asNumber(o.elapsed_ms ?? 0, 'modules.elapsed_ms')
  };
}

function decodeHangWorker(data: unknown): IHangWorker {
  const o = asObject(data, 'worker');
  return {
    pid: asNumber(o.pid, 'worker.pid'),
    alive: o.alive === true,
    exitCode: optNumber(o.exitcode),
    signalName: optString(o.signal_name)
  };
}

export function decodeHang(data: unknown): IHang {
  const o = asObject(data, 'hang');
  // A kind this frontend does not know (another version of the probe) is shown as none.
  const kind = (['waiting', 'spinning'] as const).find(known => known === o.kind) ?? null;
  return {
    hung: o.hung === true,
    sinceS: optNumber(o.since_s),
    kind,
    thresholdS: asNumber(o.threshold_s, 'hang.threshold_s'),
    stack: asArray(o.stack ?? [], 'hang.stack').map(decodeThreadFrame),
    waitsOn: optString(o.waits_on),
    workers: asArray(o.workers ?? [], 'hang.workers').map(decodeHangWorker),
    elapsedMs: asNumber(o.elapsed_ms ?? 0, 'hang.elapsed_ms')
  };
}
