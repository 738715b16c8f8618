/**
 * Test doubles for the Trace: a bridge with the signal the feed listens to,
 * a debugger whose call stack fills when it stops, and trace rows as the
 * probe sends them. Test-only: excluded from the build.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import type { KernelBridge } from '../../kernel/bridge';
import type { ITrace, ITraceRow, IOperations } from '../../kernel/protocol';
import { FakeBridge, FakeDebugger } from '../../live/testing/fakes';
import type { TraceService } from '../service';

/** The kernel bridge with the trace's state signal, fired by hand. */
export class FakeTraceBridge extends FakeBridge implements TraceService.IBridge {
  stateChanged = new Signal<this, KernelBridge.State>(this);

  setState(state: KernelBridge.State): void {
    this.state = state;
    this.stateChanged.emit(state);
  }

  /** The `since` of every `trace` request, in order. */
  traceSinces(): (number | undefined)[] {
    return this.calls
      .filter(c => c.op === 'trace')
      .map(c => (c.args as IOperations['trace']['args']).since);
  }
}

/** The debugger's call stack: frames when stopped, none when running. */
class FakeTraceCallstack {
  frames: IDebugger.IStackFrame[] = [];
  framesChanged = new Signal<this, IDebugger.IStackFrame[]>(this);
  stopAt(frames: IDebugger.IStackFrame[]): void {
    this.frames = frames;
    this.framesChanged.emit(frames);
  }
  resume(): void {
    this.stopAt([]);
  }
}

/** The debugger the trace listens to: stops fill the call stack. */
export class FakeTraceDebugger {
  model = { callstack: new FakeTraceCallstack() };
  getCodeId(code: string): string {
    return new FakeDebugger().getCodeId(code);
  }
}

export class FakeTraceBridges implements TraceService.IBridges {
  bridges = new Map<Kernel.IKernelConnection, FakeTraceBridge>();
  bridgeFor(kernel: Kernel.IKernelConnection): FakeTraceBridge {
    let bridge = this.bridges.get(kernel);
    if (!bridge) {
      bridge = new FakeTraceBridge();
      this.bridges.set(kernel, bridge);
    }
    return bridge;
  }
}

/** A trace row with seq `seq` recording `values` (numbers or text). */
export function traceRow(
  seq: number,
  values: Record<string, number | string | null> = {},
  extra: Partial<ITraceRow> = {}
): ITraceRow {
  const recorded: ITraceRow['values'] = {};
  for (const [expr, v] of Object.entries(values)) {
    recorded[expr] =
      typeof v === 'number'
        ? { number: v, summary: String(v) }
        : { number: null, summary: v ?? 'nan' };
  }
  return {
    seq,
    time: 1795670198 + seq,
    bp: 'bp-1',
    path: '/tmp/ipykernel_1/10.py',
    line: 4,
    hit: seq,
    log: `step ${seq}`,
    values: recorded,
    error: null,
    stopped: false,
    reason: null,
    removed: false,
    ...extra
  };
}

/** A batch of rows, with `next` after the last one. */
export function batch(rows: ITraceRow[], dropped = 0, next?: number): ITrace {
  return {
    rows,
    next: next ?? (rows.length ? rows[rows.length - 1].seq + 1 : 1),
    dropped,
    counts: {}
  };
}
