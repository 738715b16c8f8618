/**
 * The bridge against a real Jupyter server and a real ipykernel 7.
 */
import type { Kernel } from '@jupyterlab/services';
import { KernelManager, KernelMessage } from '@jupyterlab/services';
import { KernelBridge } from './bridge';
import type { ILive, IValues } from './protocol';
import { isLive, ProbeError } from './protocol';
import { useJupyterServer } from './testing/server';

jest.setTimeout(120000);

useJupyterServer();

/** Run code on the main shell and wait for it to finish. */
async function run(kernel: Kernel.IKernelConnection, code: string): Promise<string> {
  let out = '';
  const future = kernel.requestExecute({ code, store_history: false });
  future.onIOPub = msg => {
    if (KernelMessage.isStreamMsg(msg)) {
      out += msg.content.text;
    }
  };
  const reply = await future.done;
  if (reply.content.status !== 'ok') {
    throw new Error(`cell failed: ${JSON.stringify(reply.content)}`);
  }
  return out;
}

describe('KernelBridge on a real kernel', () => {
  let manager: KernelManager;
  let kernel: Kernel.IKernelConnection;
  let bridge: KernelBridge;

  beforeAll(async () => {
    manager = new KernelManager();
    kernel = await manager.startNew({ name: 'python3' });
    await kernel.info;
  });

  afterAll(async () => {
    bridge?.dispose();
    await kernel.shutdown();
    manager.dispose();
  });

  it('loads the probe on a subshell without touching the namespace', async () => {
    const before = await run(kernel, 'print(sorted(k for k in globals() if not k.startswith("_")))');
    bridge = new KernelBridge({ kernel });
    const hello = await bridge.connect();
    expect(hello.thread).toBe('subshell');
    expect(bridge.isLive).toBe(true);
    expect(bridge.state).toBe('ready');
    const after = await run(kernel, 'print(sorted(k for k in globals() if not k.startswith("_")))');
    expect(after).toEqual(before);
  });

  it('summarises a global tensor with its NaN count', async () => {
    await run(
      kernel,
      'import torch\nweights = torch.tensor([1.0, float("nan"), 3.0, float("inf")])\nnote = "<img src=x onerror=alert(1)>"'
    );
    const values = (await bridge.request('values', { scope: { kind: 'globals' } })) as IValues;
    const row = values.rows.find(r => r.name === 'weights');
    expect(row?.kind).toBe('tensor');
    expect(row?.stats?.shape).toEqual([4]);
    expect(row?.stats?.nan).toBe(1);
    expect(row?.stats?.inf).toBe(1);
    expect(row?.nonfinite).toBe(true);
    const text = values.rows.find(r => r.name === 'note');
    expect(text?.summary).toContain('<img src=x onerror=alert(1)>');
  });

  it('answers the requests of one moment, sent as one message, each with its own reply', async () => {
    const sent: unknown[] = [];
    const record = (_: Kernel.IKernelConnection, args: Kernel.IAnyMessageArgs): void => {
      if (args.direction === 'send' && args.msg.header.msg_type === 'comm_msg') {
        sent.push((args.msg.content as { data: unknown }).data);
      }
    };
    // The probe's requests leave from its own connection.
    const connection = bridge.connection!;
    connection.anyMessage.connect(record);
    const [threads, counters, values] = await Promise.all([
      bridge.request('threads', { locals: false }),
      bridge.request('counters', {}),
      bridge.request('values', { scope: { kind: 'globals' } })
    ]);
    expect(threads.threads.some(t => t.kind === 'main')).toBe(true);
    expect(counters.counters.some(c => c.id === 'rss')).toBe(true);
    expect((values as IValues).rows.some(r => r.name === 'weights')).toBe(true);
    expect(sent).toHaveLength(1);
    expect((sent[0] as { batch: { op: string }[] }).batch.map(r => r.op)).toEqual([
      'threads',
      'counters',
      'values'
    ]);
    connection.anyMessage.disconnect(record);
  });

  it('reads the running cell live, while it runs', async () => {
    const future = kernel.requestExecute({
      code: 'import time\ndef spin():\n    for tick in range(400):\n        time.sleep(0.01)\nspin()',
      store_history: false
    });
    let seen: ILive | null = null;
    for (let i = 0; i < 40 && !seen; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
      const result = await bridge.request('values', { scope: { kind: 'live' } });
      if (isLive(result) && result.running && result.frames.some(f => f.name === 'spin')) {
        seen = result;
      }
    }
    const reply = await future.done;
    expect(reply.content.status).toBe('ok');
    expect(seen).not.toBeNull();
    const frame = seen!.frames.find(f => f.name === 'spin')!;
    expect(frame.rows.map(r => r.name)).toContain('tick');
  });

  it('loads its own copy when the kernel holds another version', async () => {
    await run(
      kernel,
      'import sys, types\nfor _n in [n for n in sys.modules if n.startswith("jupyterlab_ml_debugger")]:\n    del sys.modules[_n]\n_m = types.ModuleType("jupyterlab_ml_debugger")\n_m.__version__ = "0.0.0-other"\nsys.modules["jupyterlab_ml_debugger"] = _m\ndel _m, _n'
    );
    const other = new KernelBridge({ kernel });
    const hello = await other.connect();
    expect(hello.loaded).toBe('embedded');
    const origin = await run(
      kernel,
      'import jupyterlab_ml_debugger.probe as _p\nprint(_p.__spec__.origin)\ndel _p'
    );
    expect(origin).toContain('<jupyterlab_ml_debugger');
    other.dispose();
  });

  it('rejects a pending request when the kernel restarts, then works again', async () => {
    await run(
      kernel,
      'import time\nclass Slow:\n    def __repr__(self):\n        time.sleep(10)\n        return "slow"\nslow = Slow()'
    );
    const pending = bridge.request('repr', {
      scope: { kind: 'globals' },
      path: [{ kind: 'name', name: 'slow' }],
      timeout_ms: 8000
    });
    // Settle-now handler: the rejection arrives while restart() is awaited.
    const outcome = pending.then(
      () => null,
      (error: unknown) => error
    );
    await new Promise(resolve => setTimeout(resolve, 300));
    await kernel.restart();
    const error = await outcome;
    expect(error).toBeInstanceOf(ProbeError);
    expect((error as ProbeError).kind).toBe('kernel-restarted');
    await kernel.info;
    const hello = await bridge.request('hello', {});
    expect(hello.thread).toBe('subshell');
  });

  it("leaves the kernel's status to the running cell: busy while the probe boots and answers", async () => {
    const other = await manager.startNew({ name: 'python3' });
    await other.info;
    const future = other.requestExecute({
      code: 'import time\nfor _ in range(100):\n    time.sleep(0.1)',
      store_history: false
    });
    while (other.status !== 'busy') {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    const statuses: Kernel.Status[] = [];
    const record = (_: Kernel.IKernelConnection, status: Kernel.Status): void => {
      statuses.push(status);
    };
    other.statusChanged.connect(record);
    const probe = new KernelBridge({ kernel: other });
    // Boots the probe mid-cell: a subshell, an execute request, a comm.
    await probe.connect();
    for (let i = 0; i < 5; i++) {
      await probe.request('values', { scope: { kind: 'live' } });
    }
    expect(statuses).toEqual([]);
    expect(other.status).toBe('busy');
    await future.done;
    // The cell's idle status is read right after its future settles.
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(other.status).toBe('idle');
    // Idle, a request of the probe does not flash busy either.
    await probe.request('values', { scope: { kind: 'globals' } });
    expect(statuses).toEqual(['idle']);
    other.statusChanged.disconnect(record);
    probe.dispose();
    await other.shutdown();
  });
});
