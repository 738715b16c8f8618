/**
 * The bridge's fallback on a real kernel without subshells (ipykernel 6, from
 * the .venv-ipykernel6 environment `make test` creates): DAP evaluate in the
 * stopped frame, and the comm on the main shell when the kernel is idle.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { KernelManager } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';
import { KernelBridge } from './bridge';
import type { IValues } from './protocol';
import { dap } from './testing/dap';
import { useJupyterServer } from './testing/server';

jest.setTimeout(120000);

const PYTHON = path.resolve(__dirname, '../../.venv-ipykernel6/bin/python');

const CELL = [
  'import numpy as np',
  '',
  'def scale(x):',
  '    y = x * 2',
  '    return y',
  '',
  'scale(np.array([1.0, np.nan, 3.0]))'
].join('\n');

useJupyterServer({
  ipykernel6: {
    argv: [PYTHON, '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
    display_name: 'ipykernel 6',
    language: 'python'
  }
});

describe('KernelBridge on a kernel without subshells', () => {
  let manager: KernelManager;
  let kernel: Kernel.IKernelConnection;

  beforeAll(async () => {
    if (!fs.existsSync(PYTHON)) {
      throw new Error(
        'No ipykernel 6 environment at .venv-ipykernel6: run `make test`, which creates it.'
      );
    }
    manager = new KernelManager();
    kernel = await manager.startNew({ name: 'ipykernel6' });
    await kernel.info;
  });

  afterAll(async () => {
    await kernel.shutdown();
    manager.dispose();
  });

  it('reads the stopped frame through the debugger, then the globals when idle', async () => {
    expect(kernel.supportsSubshells).toBe(false);
    let stoppedFrame: number | null = null;
    const bridge = new KernelBridge({ kernel, stoppedFrame: () => stoppedFrame });
    expect(bridge.transport).toBe('shell');

    await dap(kernel, 'initialize', {
      clientID: 'test',
      adapterID: 'python',
      pathFormat: 'path',
      linesStartAt1: true,
      columnsStartAt1: true
    });
    await dap(kernel, 'attach');
    const dumped = await dap(kernel, 'dumpCell', { code: CELL });
    const source = dumped.body.sourcePath as string;
    await dap(kernel, 'setBreakpoints', {
      source: { path: source },
      breakpoints: [{ line: 5 }],
      sourceModified: false
    });
    await dap(kernel, 'configurationDone');

    const stopped = new PromiseDelegate<number>();
    const onIOPub = (_: unknown, msg: KernelMessage.IIOPubMessage) => {
      const content = msg.content as { event?: string; body?: { threadId?: number } };
      if (msg.header.msg_type === 'debug_event' && content.event === 'stopped') {
        stopped.resolve(content.body?.threadId ?? 1);
      }
    };
    kernel.iopubMessage.connect(onIOPub);
    const run = kernel.requestExecute({ code: CELL, store_history: false });
    const threadId = await stopped.promise;
    kernel.iopubMessage.disconnect(onIOPub);

    const trace = await dap(kernel, 'stackTrace', { threadId });
    const frames = trace.body.stackFrames as {
      id: number;
      name: string;
      line: number;
      source?: { path?: string };
    }[];
    stoppedFrame = frames[0].id;
    const values = (await bridge.request('values', {
      scope: {
        kind: 'frame',
        frames: frames.map(f => ({ path: f.source?.path ?? '', name: f.name, line: f.line })),
        index: 0
      }
    })) as IValues;
    expect(values.scope.frame?.name).toBe('scale');
    const y = values.rows.find(r => r.name === 'y')!;
    expect(y.stats?.nan).toBe(1);
    expect(y.nonfinite).toBe(true);

    await dap(kernel, 'setBreakpoints', {
      source: { path: source },
      breakpoints: [],
      sourceModified: false
    });
    stoppedFrame = null;
    await dap(kernel, 'continue', { threadId });
    await run.done;

    const globals = (await bridge.request('values', {
      scope: { kind: 'globals' }
    })) as IValues;
    expect(globals.rows.map(r => r.name)).toContain('scale');
    expect(bridge.isLive).toBe(false);
    expect(bridge.message).toMatch(/ipykernel 7 or newer/);
    bridge.dispose();
  });
});
