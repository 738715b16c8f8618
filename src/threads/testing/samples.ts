/**
 * Threads replies as the decoded bridge hands them over, for the specs:
 * a deadlocked MainThread and worker, a spiking thread, and the kernel's own
 * threads, each active or blocked. Test-only.
 */
import type { IThread, IThreadFrame, IThreads, IWait } from '../../kernel/liveProtocol';
import { row } from '../../live/testing/fakes';

export function threadFrame(name: string, line: number, code: string | null, extra: Partial<IThreadFrame> = {}): IThreadFrame {
  return { path: '/tmp/ipykernel_1/3.py', name, line, user: true, code, rows: [], ...extra };
}

export function thread(id: number, name: string, kind: IThread['kind'], extra: Partial<IThread> = {}): IThread {
  return {
    id,
    nativeId: id + 1000,
    name,
    kind,
    daemon: false,
    state: 'active',
    blockedOn: null,
    blockingModule: null,
    cpuMs: 10,
    cpuShare: 0.01,
    frames: [],
    framesTotal: 0,
    wait: null,
    ...extra
  };
}

/** The state keys of a Blocked Thread waiting on `on` in `module`. */
export function blocked(on: string, module: string): Pick<IThread, 'state' | 'blockedOn' | 'blockingModule'> {
  return { state: 'blocked', blockedOn: on, blockingModule: module };
}

export function lockWait(label: string, owner: number | null, ownerName: string | null, text: string): IWait {
  return {
    kind: 'lock',
    label,
    object: `<_thread.lock object at 0x7f${label}>`,
    owner,
    ownerName,
    ownerKnown: owner !== null,
    holders: owner === null ? [] : [owner],
    detail: null,
    text
  };
}

/** MainThread and worker deadlocked on cs1/cs2, worker-2 spinning, three kernel threads. */
export function deadlockSample(): IThreads {
  const main = thread(1, 'MainThread', 'main', {
    state: 'blocked',
    blockedOn: 'waits for lock cs2',
    blockingModule: 'threading',
    cpuShare: 0,
    frames: [
      threadFrame('<module>', 9, 'with cs2:', { rows: [row('cs1', { type: 'lock', summary: '<locked _thread.lock>' })] }),
      threadFrame('run_cell', 3100, 'result = runner(coro)', { path: '/usr/lib/python3/site-packages/IPython/core/interactiveshell.py', user: false })
    ],
    framesTotal: 30,
    wait: lockWait('cs2', 2, 'worker', 'MainThread waits for cs2 (Lock), held by worker.')
  });
  const worker = thread(2, 'worker', 'user', {
    state: 'blocked',
    blockedOn: 'waits for lock cs1',
    blockingModule: 'threading',
    cpuShare: 0,
    frames: [threadFrame('take_both', 5, 'with cs1:')],
    framesTotal: 3,
    wait: lockWait('cs1', 1, 'MainThread', 'worker waits for cs1 (Lock), held by MainThread.')
  });
  const spinner = thread(3, 'worker-2', 'user', {
    cpuShare: 0.98,
    frames: [threadFrame('spin', 14, 'x += 1')],
    framesTotal: 2
  });
  const kernelThreads = [
    thread(10, 'Control', 'kernel', { daemon: true, ...blocked('waits for I/O in epoll.poll', 'selectors') }),
    thread(11, 'IOPub', 'kernel', { daemon: true }),
    thread(12, 'pydevd.Reader', 'debugger', { daemon: true, ...blocked('waits for I/O in socket.recv', 'socket') })
  ];
  return {
    threads: [main, worker, spinner, ...kernelThreads],
    total: 6,
    spiking: { id: 3, name: 'worker-2', share: 0.98 },
    deadlocks: [
      {
        cycle: [
          { thread: 1, name: 'MainThread', waitsFor: 'cs2', heldBy: 2 },
          { thread: 2, name: 'worker', waitsFor: 'cs1', heldBy: 1 }
        ],
        main: true,
        text: 'MainThread and worker wait for each other: a deadlock.'
      }
    ],
    intervalMs: 2000,
    truncated: false,
    cut: null,
    elapsedMs: 3
  };
}

/** One idle main thread: what a kernel between cells looks like. */
export function quietSample(): IThreads {
  return {
    threads: [
      thread(1, 'MainThread', 'main', {
        ...blocked('waits for I/O in epoll.poll', 'selectors'),
        frames: [threadFrame('select', 50, 'ready = poll()', { user: false })],
        framesTotal: 1
      })
    ],
    total: 1,
    spiking: null,
    deadlocks: [],
    intervalMs: null,
    truncated: false,
    cut: null,
    elapsedMs: 1
  };
}
