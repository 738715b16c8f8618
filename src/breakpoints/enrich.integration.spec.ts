/**
 * An enriched `setBreakpoints` against a real Jupyter server, ipykernel and
 * debugpy: the loop stops only on the pass where the condition holds.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { KernelManager } from '@jupyterlab/services';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { KernelBridge } from '../kernel/bridge';
import { actionCondition } from '../kernel/protocol';
import { NO_ACTIONS, toSpec } from './actions';
import { enrichSetBreakpoints } from './enrich';
import { useJupyterServer } from '../kernel/testing/server';

jest.setTimeout(120000);

useJupyterServer();

const LOOP = 'hits = []\nfor i in range(10):\n    hits.append(i)\n';

describe('setBreakpoints with breakpoint actions on a real kernel', () => {
  let manager: KernelManager;
  let kernel: Kernel.IKernelConnection;
  let bridge: KernelBridge;
  let seq = 1;

  async function dap<T extends DebugProtocol.Response>(
    command: string,
    args: object = {}
  ): Promise<T> {
    const reply = await kernel.requestDebug({
      type: 'request',
      seq: seq++,
      command,
      arguments: args
    }).done;
    return reply.content as unknown as T;
  }

  beforeAll(async () => {
    manager = new KernelManager();
    kernel = await manager.startNew({ name: 'python3' });
    await kernel.info;
    bridge = new KernelBridge({ kernel });
    await bridge.connect();
  });

  afterAll(async () => {
    bridge.dispose();
    await kernel.shutdown();
    manager.dispose();
  });

  it('stops once, on the pass where the condition holds, whatever JupyterLab sent', async () => {
    const stops: DebugProtocol.StoppedEvent[] = [];
    kernel.iopubMessage.connect((_, msg: KernelMessage.IIOPubMessage) => {
      const content = msg.content as { event?: string };
      if (msg.header.msg_type === 'debug_event' && content.event === 'stopped') {
        stops.push(msg.content as unknown as DebugProtocol.StoppedEvent);
      }
    });
    await dap('initialize', {
      clientID: 'jest',
      adapterID: 'python',
      pathFormat: 'path',
      linesStartAt1: true,
      columnsStartAt1: true
    });
    await dap('attach');
    const dumped = await dap<DebugProtocol.Response & { body: { sourcePath: string } }>(
      'dumpCell',
      { code: LOOP }
    );
    const path = dumped.body.sourcePath;

    const spec = toSpec({
      id: 'bp-41',
      cellId: 'c',
      line: 3,
      actions: { ...NO_ACTIONS, condition: 'i == 6' }
    });
    const kept = await bridge.request('set_actions', { breakpoints: [spec] });
    expect(kept.errors).toEqual({});

    // JupyterLab's plain re-send, enriched as it leaves.
    const args = enrichSetBreakpoints(
      { source: { path }, breakpoints: [{ line: 3 }], sourceModified: false },
      new Map([[3, 'bp-41']])
    );
    expect(args.breakpoints).toEqual([{ line: 3, condition: actionCondition('bp-41') }]);
    const set = await dap<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', args);
    expect(set.success).toBe(true);
    await dap('configurationDone');

    const done = kernel.requestExecute({ code: LOOP, store_history: false }).done;
    while (stops.length === 0) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    const threadId = stops[0].body.threadId!;
    const trace = await dap<DebugProtocol.StackTraceResponse>('stackTrace', { threadId });
    const frameId = trace.body.stackFrames[0].id;
    const value = await dap<DebugProtocol.EvaluateResponse>('evaluate', {
      expression: 'i',
      frameId,
      context: 'watch'
    });
    expect(value.body.result).toBe('6');
    await dap('continue', { threadId });
    await done;
    expect(stops).toHaveLength(1);
    await dap('disconnect', { restart: false, terminateDebuggee: true });
  });
});
