/**
 * Crash reports, hang readings and outside stacks as the view receives them,
 * and the test doubles of the server and of a bridge that loads the probe.
 * Test-only.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import type { IHello } from '../../kernel/protocol';
import { FakeBridge } from '../../live/testing/fakes';
import type { Kernel } from '@jupyterlab/services';
import type { IHang, IThreadFrame } from '../../kernel/liveProtocol';
import type { ICrashReport, IOutsideStacks } from '../reports';
import type { ICrashServer } from '../server';

/** The server's JSON for a SIGSEGV in cell 7, line 3, with two threads and three memory samples. */
export function segfaultJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'r1',
    kernel_id: 'k1',
    ended_at: '2026-12-06T21:00:02Z',
    pid: 4242,
    exit_code: null,
    signal: 11,
    signal_name: 'SIGSEGV',
    signal_meaning: 'segmentation fault: a read or write of memory the process does not own',
    cause: 'Segmentation fault in a C extension while running `model(x)` in In [7], line 3.',
    oom: false,
    last_cell: { execution_count: 7, cell_id: 'cell-7', first_line: 'y = model(x)', line: 3 },
    threads: [
      { name: 'Thread 0x7f01', current: false, frames: [{ path: '/usr/lib/python3/threading.py', line: 320, name: 'wait' }] },
      {
        name: 'Thread 0x7f00',
        current: true,
        frames: [
          { path: '/usr/lib/python3/ctypes/__init__.py', line: 500, name: 'string_at' },
          { path: '/tmp/ipykernel_1/7.py', line: 3, name: '<module>' }
        ]
      }
    ],
    memory: [
      { t: 1796590800, rss_bytes: 100 * 2 ** 20 },
      { t: 1796590801, rss_bytes: 120 * 2 ** 20 },
      { t: 1796590802, rss_bytes: 130 * 2 ** 20 }
    ],
    memory_limit_bytes: 2 * 2 ** 30,
    recorder_armed: true,
    ...extra
  };
}

/** A decoded report, as the model holds it. */
export function report(extra: Partial<ICrashReport> = {}): ICrashReport {
  return {
    id: 'r1',
    kernelId: 'k1',
    endedAt: '2026-12-06T21:00:02Z',
    pid: 4242,
    exitCode: null,
    signal: 9,
    signalName: 'SIGKILL',
    signalMeaning: 'killed: the process was stopped at once and could not clean up',
    cause: 'Killed by SIGKILL; not by the out-of-memory killer, whose count did not change.',
    oom: false,
    lastCell: { executionCount: 2, cellId: 'cell-2', firstLine: 'os.kill(os.getpid(), signal.SIGKILL)', line: 1 },
    threads: [],
    memory: [],
    memoryLimitBytes: null,
    recorderArmed: true,
    ...extra
  };
}

export function hangFrame(name: string, line: number, code: string | null): IThreadFrame {
  return { path: '/tmp/ipykernel_1/9.py', name, line, user: true, code, rows: [] };
}

export function hang(extra: Partial<IHang> = {}): IHang {
  return {
    hung: true,
    sinceS: 42,
    kind: 'waiting',
    thresholdS: 30,
    stack: [hangFrame('<module>', 4, 'batch = next(it)')],
    waitsOn: 'a DataLoader worker that exited',
    workers: [
      { pid: 101, alive: true, exitCode: null, signalName: null },
      { pid: 102, alive: false, exitCode: -9, signalName: 'SIGKILL' },
      { pid: 103, alive: false, exitCode: 3, signalName: null }
    ],
    elapsedMs: 1.2,
    ...extra
  };
}

export function outside(extra: Partial<IOutsideStacks> = {}): IOutsideStacks {
  return {
    ok: true,
    message: null,
    elapsedMs: 84.2,
    threads: [
      {
        id: 1,
        name: 'MainThread',
        gil: true,
        active: true,
        frames: [
          { name: 'sre_search', path: '_sre.c', line: null, native: true },
          { name: '<module>', path: '/tmp/ipykernel_1/9.py', line: 2, native: false }
        ]
      }
    ],
    ...extra
  };
}

/** The server's routes, each call answered by hand or at once. */
export class FakeServer implements ICrashServer {
  /** The kernel's reports the next `reports` answers with, by kernel id. */
  stored = new Map<string, ICrashReport[]>();
  reportCalls: string[] = [];
  dismissed: string[] = [];
  stacksCalls: string[] = [];
  stacks: PromiseDelegate<IOutsideStacks> | null = null;
  failReports: Error | null = null;

  reports(kernelId: string): Promise<ICrashReport[]> {
    this.reportCalls.push(kernelId);
    if (this.failReports) {
      return Promise.reject(this.failReports);
    }
    return Promise.resolve([...(this.stored.get(kernelId) ?? [])]);
  }

  dismiss(reportId: string): Promise<void> {
    this.dismissed.push(reportId);
    for (const [kernel, list] of this.stored) {
      this.stored.set(
        kernel,
        list.filter(r => r.id !== reportId)
      );
    }
    return Promise.resolve();
  }

  outsideStacks(kernelId: string): Promise<IOutsideStacks> {
    this.stacksCalls.push(kernelId);
    this.stacks = new PromiseDelegate<IOutsideStacks>();
    return this.stacks.promise;
  }
}

/** A bridge that also loads the probe, whose hello tells of the crash recorder. */
export class FakeCrashBridge extends FakeBridge {
  hello: IHello | null = null;
  connects = 0;
  recorder: { armed: boolean; reason: string | null } = { armed: true, reason: null };

  connect(): Promise<IHello> {
    this.connects++;
    const hello: IHello = {
      protocol: 1,
      version: '0',
      thread: 'subshell',
      pid: 4242,
      features: [],
      loaded: null,
      crashRecorder: this.recorder
    };
    this.hello = hello;
    return Promise.resolve(hello);
  }
}

export class FakeCrashBridges {
  bridges = new Map<Kernel.IKernelConnection, FakeCrashBridge>();
  bridgeFor(kernel: Kernel.IKernelConnection): FakeCrashBridge {
    let bridge = this.bridges.get(kernel);
    if (!bridge) {
      bridge = new FakeCrashBridge();
      this.bridges.set(kernel, bridge);
    }
    return bridge;
  }
}
