/**
 * The bridge on a kernel that runs on another machine: a real Jupyter Kernel
 * Gateway (the GPU node) runs the kernel, and a real Jupyter server started
 * with `--gateway-url` relays every channel to it, as
 * `jupyter lab --gateway-url=http://node:8888` does. The probe's subshell,
 * its comm, the debugger's control requests and events all cross that relay.
 */
import * as fs from 'fs';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { KernelManager } from '@jupyterlab/services';
import { KernelBridge } from './bridge';
import type { IActionSpec, ILive, ITraceRow, IValues } from './protocol';
import { actionCondition, isLive } from './protocol';
import { dap, debugOn, nextStop } from './testing/dap';
import { KernelGateway } from './testing/gateway';
import { useJupyterServer } from './testing/server';

jest.setTimeout(120000);

const gateway = new KernelGateway();
useJupyterServer(undefined, { gateway });

const SPIN = 'import time\ndef spin():\n    for tick in range(300):\n        time.sleep(0.01)\nspin()';

// Line 4 records `step` on every pass and never stops; line 5 stops on the pass where step is 5.
const TRAIN = [
  'def train():',
  '    total = 0',
  '    for step in range(8):',
  '        total += step',
  '        loss = 1.0 / (step + 1)',
  '    return total',
  'train()'
].join('\n');

/** A breakpoint's actions as the probe takes them: nothing but what is given. */
function spec(id: string, actions: Partial<IActionSpec>): IActionSpec {
  return {
    id,
    condition: null,
    hit: null,
    log: null,
    record: [],
    check_tensors: false,
    stop_when_changed: null,
    continue: false,
    once: false,
    ...actions
  };
}

/** Run code on the user's connection and return what it printed. */
async function run(kernel: Kernel.IKernelConnection, code: string): Promise<string> {
  let out = '';
  const future = kernel.requestExecute({ code, store_history: false });
  future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
    if (msg.header.msg_type === 'stream') {
      out += (msg.content as { text: string }).text;
    }
  };
  const reply = await future.done;
  if (reply.content.status !== 'ok') {
    throw new Error(`cell failed: ${JSON.stringify(reply.content)}`);
  }
  return out;
}

describe('KernelBridge on a kernel behind a Kernel Gateway', () => {
  let manager: KernelManager;
  let kernel: Kernel.IKernelConnection;
  let bridge: KernelBridge;

  beforeAll(async () => {
    manager = new KernelManager();
    kernel = await manager.startNew({ name: 'python3' });
    await kernel.info;
    bridge = new KernelBridge({ kernel });
  });

  afterAll(async () => {
    bridge?.dispose();
    await kernel.shutdown();
    manager.dispose();
  });

  it('runs the kernel on the gateway and loads the probe on its subshell there', async () => {
    expect(await gateway.kernelIds()).toContain(kernel.id);
    // The kernel's working directory is the gateway's, not the server's notebook directory.
    const cwd = await run(kernel, 'import os\nprint(os.path.realpath(os.getcwd()))');
    expect(cwd.trim()).toBe(fs.realpathSync(gateway.workDir));

    expect(kernel.supportsSubshells).toBe(true);
    const hello = await bridge.connect();
    expect(hello.thread).toBe('subshell');
    expect(bridge.isLive).toBe(true);
    expect(bridge.message).toBe('');
  });

  it('reads the running cell live, its threads and counters, while it runs', async () => {
    const future = kernel.requestExecute({ code: SPIN, store_history: false });
    let seen: ILive | null = null;
    for (let i = 0; i < 30 && !seen; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
      const result = await bridge.request('values', { scope: { kind: 'live' } });
      if (isLive(result) && result.running && result.frames.some(f => f.name === 'spin')) {
        seen = result;
      }
    }
    const [threads, counters] = await Promise.all([
      bridge.request('threads', { locals: true }),
      bridge.request('counters', {})
    ]);
    const reply = await future.done;
    expect(reply.content.status).toBe('ok');

    expect(seen).not.toBeNull();
    const frame = seen!.frames.find(f => f.name === 'spin')!;
    expect(frame.rows.map(r => r.name)).toContain('tick');
    const main = threads.threads.find(t => t.kind === 'main')!;
    expect(main.frames.map(f => f.name)).toContain('spin');
    expect(main.blockedOn).toMatch(/time\.sleep/);
    const rss = counters.counters.find(c => c.id === 'rss');
    expect(rss?.value).toBeGreaterThan(0);
  });

  it('records breakpoint actions and reads the frame the debugger stopped in', async () => {
    await debugOn(kernel);
    const dumped = await dap(kernel, 'dumpCell', { code: TRAIN });
    const source = dumped.body.sourcePath as string;
    const record = spec('record-step', { record: ['step'], continue: true });
    const halt = spec('halt', { condition: 'step == 5' });
    const kept = await bridge.request('set_actions', { breakpoints: [record, halt] });
    expect(kept.errors).toEqual({});
    await dap(kernel, 'setBreakpoints', {
      source: { path: source },
      breakpoints: [
        { line: 4, condition: actionCondition('record-step') },
        { line: 5, condition: actionCondition('halt') }
      ],
      sourceModified: false
    });

    const stopped = nextStop(kernel);
    const done = kernel.requestExecute({ code: TRAIN, store_history: false }).done;
    const threadId = await stopped;
    const stack = await dap(kernel, 'stackTrace', { threadId });
    const frames = stack.body.stackFrames as { name: string; line: number; source?: { path?: string } }[];
    const values = (await bridge.request('values', {
      scope: {
        kind: 'frame',
        frames: frames.map(f => ({ path: f.source?.path ?? '', name: f.name, line: f.line })),
        index: 0
      }
    })) as IValues;
    expect(values.scope.frame?.name).toBe('train');
    expect(values.rows.find(r => r.name === 'step')?.summary).toBe('5');
    const recorded = (rows: ITraceRow[]) =>
      rows.filter(r => r.bp === 'record-step').map(r => r.values['step']?.number);
    const sofar = await bridge.request('trace', {});
    expect(recorded(sofar.rows)).toEqual([0, 1, 2, 3, 4, 5]);

    // The stop goes; the recording breakpoint stays for the passes left.
    await dap(kernel, 'setBreakpoints', {
      source: { path: source },
      breakpoints: [{ line: 4, condition: actionCondition('record-step') }],
      sourceModified: false
    });
    await dap(kernel, 'continue', { threadId });
    expect((await done).content.status).toBe('ok');
    const trace = await bridge.request('trace', { since: sofar.next });
    expect(recorded(trace.rows)).toEqual([6, 7]);
    expect(trace.counts['record-step']).toBe(8);
    await dap(kernel, 'disconnect', { restart: false, terminateDebuggee: true });
  });

  it("brings a tensor slice across the gateway, and the notebook's connection keeps working", async () => {
    await run(kernel, 'import numpy as np\nweights = np.arange(6, dtype=np.float32).reshape(2, 3)');
    const target = { path: [{ kind: 'name' as const, name: 'weights' }] };
    const slice = await bridge.request('slice', { scope: { kind: 'globals' }, target });
    expect(Array.from(slice.values)).toEqual([0, 1, 2, 3, 4, 5]);
    // A reply with binary buffers would have ended the server's relay of this kernel's messages.
    expect(await run(kernel, 'print(weights.sum())')).toBe('15.0\n');
    const values = (await bridge.request('values', { scope: { kind: 'globals' } })) as IValues;
    expect(values.rows.find(r => r.name === 'weights')?.kind).toBe('ndarray');
  });
});
