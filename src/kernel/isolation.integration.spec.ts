/**
 * Several users' kernels on one real Jupyter server: each kernel has its own
 * bridge, comm, masking settings, breakpoint-action trace and values; nothing
 * asked of one is answered by, or changes, the other.
 */
import type { Kernel } from '@jupyterlab/services';
import { KernelManager } from '@jupyterlab/services';
import schema from '../../schema/plugin.json';
import type { KernelBridge } from './bridge';
import type { IValues } from './protocol';
import { BridgeRegistry } from './registry';
import { useJupyterServer } from './testing/server';

jest.setTimeout(120000);

useJupyterServer();

const GLOBALS = { kind: 'globals' } as const;
const NAMES: string[] = schema.properties.secretNames.default;

/** Each kernel's namespace: the same names, its own values. */
const setup = (owner: string) =>
  `owner = "${owner}"\ndoor_pin = "4711"\nimport sys\n_actions = sys.modules["_jupyterlab_ml_debugger_actions"]\n` +
  `_actions.set_actions([{"id": "${owner}-step", "record": ["i"], "continue": True}])\n` +
  `for i in range(3):\n    _actions.on_hit("${owner}-step")\n`;

async function run(kernel: Kernel.IKernelConnection, code: string): Promise<void> {
  const reply = await kernel.requestExecute({ code, store_history: false }).done;
  if (reply.content.status !== 'ok') {
    throw new Error(`cell failed: ${JSON.stringify(reply.content)}`);
  }
}

const valueOf = (values: IValues, name: string) =>
  values.rows.find(r => r.name === name);

describe('Two kernels on one server', () => {
  let manager: KernelManager;
  let registry: BridgeRegistry;
  let kernels: Kernel.IKernelConnection[];
  let bridges: KernelBridge[];

  beforeAll(async () => {
    manager = new KernelManager();
    kernels = await Promise.all([
      manager.startNew({ name: 'python3' }),
      manager.startNew({ name: 'python3' })
    ]);
    await Promise.all(kernels.map(k => k.info));
    registry = new BridgeRegistry();
    bridges = kernels.map(k => registry.bridgeFor(k));
    // The probe loads on connect: the trace's action module exists after it.
    await Promise.all(bridges.map(b => b.connect()));
    await Promise.all([run(kernels[0], setup('ann')), run(kernels[1], setup('bob'))]);
  });

  afterAll(async () => {
    registry?.dispose();
    await Promise.all((kernels ?? []).map(k => k.shutdown()));
    manager?.dispose();
  });

  it('hands each kernel its own bridge, on its own kernel process', () => {
    expect(bridges[0]).not.toBe(bridges[1]);
    expect(registry.bridgeFor(kernels[0])).toBe(bridges[0]);
    expect(bridges[0].hello!.pid).not.toBe(bridges[1].hello!.pid);
  });

  it('answers each kernel with its own values, however the requests interleave', async () => {
    const asked = Array.from({ length: 12 }, (_, i) => i % 2);
    const answers = await Promise.all(
      asked.map(k => bridges[k].request('values', { scope: GLOBALS }) as Promise<IValues>)
    );
    expect(answers.map(values => valueOf(values, 'owner')?.summary)).toEqual(
      asked.map(k => (k === 0 ? "'ann'" : "'bob'"))
    );
  });

  it("keeps one kernel's masking settings out of the other", async () => {
    await bridges[0].request('secrets', { on: true, names: [...NAMES, '*pin*'] });
    const [ann, bob] = (await Promise.all(
      bridges.map(b => b.request('values', { scope: GLOBALS }))
    )) as IValues[];
    expect(valueOf(ann, 'door_pin')?.masked).toBe(true);
    expect(valueOf(bob, 'door_pin')?.masked).toBe(false);
    expect(valueOf(bob, 'door_pin')?.summary).toBe("'4711'");

    await bridges[1].request('secrets', { on: false });
    const again = (await bridges[0].request('values', { scope: GLOBALS })) as IValues;
    expect(valueOf(again, 'door_pin')?.masked).toBe(true);
  });

  it("keeps each kernel's breakpoint-action trace to itself", async () => {
    const [ann, bob] = await Promise.all(bridges.map(b => b.request('trace', {})));
    expect(ann.rows.map(r => r.bp)).toEqual(['ann-step', 'ann-step', 'ann-step']);
    expect(bob.rows.map(r => r.bp)).toEqual(['bob-step', 'bob-step', 'bob-step']);
    expect(ann.counts).toEqual({ 'ann-step': 3 });
    expect(bob.counts).toEqual({ 'bob-step': 3 });

    await bridges[1].request('clear_trace', {});
    const kept = await bridges[0].request('trace', {});
    expect(kept.rows).toHaveLength(3);
  });
});
