/**
 * Trace rows from a real kernel: kept by the probe as a loop hits a record
 * action that never stops, and fetched with `since` by the feed; a second
 * catch-up fetches only the rows recorded after the first.
 */
import type { Kernel } from '@jupyterlab/services';
import { KernelManager } from '@jupyterlab/services';
import { KernelBridge } from '../kernel/bridge';
import type { IOperations, ITrace } from '../kernel/protocol';
import { TraceFeed } from './feed';
import { TraceModel } from './model';
import type { TraceService } from './service';
import { useJupyterServer } from '../kernel/testing/server';

jest.setTimeout(120000);

useJupyterServer();

// The breakpoint condition calls on_hit on every pass; here the loop calls it
// itself, which runs the same actions without needing the debugger.
const LOOP = `import sys
_actions = sys.modules["_jupyterlab_ml_debugger_actions"]
_actions.set_actions([{"id": "it", "log": "step {i}", "record": ["i * 0.5"], "continue": True}])
def _loop(start, stop):
    for i in range(start, stop):
        _actions.on_hit("it")
_loop(0, 5)
`;
const MORE = '_loop(5, 8)\n';

/** The real bridge, noting each `trace` request's `since` and its reply. */
function recording(bridge: KernelBridge) {
  const fetched: { since: number | undefined; trace: ITrace }[] = [];
  const recorder: TraceService.IBridge = {
    get state() {
      return bridge.state;
    },
    stateChanged: bridge.stateChanged,
    async request<K extends keyof IOperations>(
      op: K,
      args: IOperations[K]['args'],
      timeoutMs?: number
    ): Promise<IOperations[K]['result']> {
      const result = await bridge.request(op, args, timeoutMs);
      if (op === 'trace') {
        const since = (args as IOperations['trace']['args']).since;
        fetched.push({ since, trace: result as ITrace });
      }
      return result;
    }
  };
  return { recorder, fetched };
}

describe('trace rows over the bridge', () => {
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

  const run = async (code: string) => {
    const reply = await kernel.requestExecute({ code }).done;
    expect(reply.content.status).toBe('ok');
  };

  it('fetches the rows a never-stopping action recorded, then only the new ones', async () => {
    bridge = new KernelBridge({ kernel });
    await bridge.connect();
    await run(LOOP);

    const { recorder, fetched } = recording(bridge);
    const model = new TraceModel();
    const feed = new TraceFeed({ bridge: recorder, model, describe: String });
    await feed.catchUp();
    expect(model.message).toBe('');
    expect(fetched.map(f => f.since)).toEqual([0]);
    expect(model.rows.map(r => r.log)).toEqual([
      'step 0',
      'step 1',
      'step 2',
      'step 3',
      'step 4'
    ]);
    expect(model.rows.map(r => r.hit)).toEqual([1, 2, 3, 4, 5]);
    expect(model.rows.map(r => r.bp)).toEqual(['it', 'it', 'it', 'it', 'it']);
    expect(model.rows[3].values['i * 0.5']).toEqual({ number: 1.5, summary: '1.5' });
    expect(model.series('i * 0.5')).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(fetched[0].trace.counts).toEqual({ it: 5 });
    const next = model.next;
    expect(next).toBe(model.rows[4].seq + 1);

    await run(MORE);
    await feed.catchUp();
    expect(fetched.map(f => f.since)).toEqual([0, next]);
    expect(fetched[1].trace.rows.map(r => r.log)).toEqual([
      'step 5',
      'step 6',
      'step 7'
    ]);
    expect(fetched[1].trace.rows.map(r => r.seq)).toEqual([next, next + 1, next + 2]);
    expect(model.rows.map(r => r.hit)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(model.series('i * 0.5')).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);

    // Nothing new: the next catch-up fetches no row.
    await feed.catchUp();
    expect(fetched[2].since).toBe(next + 3);
    expect(fetched[2].trace.rows).toEqual([]);
    expect(model.rows).toHaveLength(8);
    feed.dispose();
  });
});
