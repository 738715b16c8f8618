/**
 * Secrets stay secret on the wire, against a real Jupyter server and
 * ipykernel: every message between the frontend and the kernel is recorded
 * as text while the views read a namespace holding an API token in a global,
 * in a dict and in an environment variable; the token appears only after the
 * user reveals it, in that one reply.
 */
import type { Kernel } from '@jupyterlab/services';
import { KernelManager } from '@jupyterlab/services';
import schema from '../../schema/plugin.json';
import { KernelBridge } from './bridge';
import type { IValues } from './protocol';
import { useJupyterServer } from './testing/server';

jest.setTimeout(120000);

useJupyterServer();

// Put together in the kernel, so that no message carries it whole unless a value does.
const SECRET = 'tok-' + '7Qx93Lm' + 'Pz0aK44vR';
const SETUP = `import os
TOKEN = "".join(["tok-", "7Qx93Lm", "Pz0aK44vR"])
api_token = TOKEN
config = {"hf_token": TOKEN, "lr": 0.001}
os.environ["MY_SERVICE_TOKEN"] = TOKEN
env = os.environ
door_pin = "4711"
`;
const FAILING = 'def login(user, password):\n    raise PermissionError("refused for " + user)\nlogin("bob", TOKEN)';
const GLOBALS = { kind: 'globals' } as const;
const NAMES: string[] = schema.properties.secretNames.default;

/** Run code on the user's own connection and wait for it; a failure is not thrown. */
async function run(kernel: Kernel.IKernelConnection, code: string): Promise<void> {
  await kernel.requestExecute({ code, store_history: false }).done;
}

describe('Secrets on the wire of a real kernel', () => {
  let manager: KernelManager;
  let kernel: Kernel.IKernelConnection;
  let bridge: KernelBridge;
  // Each message once, by its id: IOPub (where comm replies travel) reaches every connection.
  const traffic = new Map<string, string>();
  const record = (_: Kernel.IKernelConnection, args: Kernel.IAnyMessageArgs): void => {
    traffic.set(args.msg.header.msg_id, JSON.stringify(args.msg.content));
  };
  const carrying = () => [...traffic.values()].filter(text => text.includes(SECRET));

  beforeAll(async () => {
    manager = new KernelManager();
    kernel = await manager.startNew({ name: 'python3' });
    await kernel.info;
    // The settings' patterns, and one more, sent before any other request.
    bridge = new KernelBridge({
      kernel,
      setup: () => [{ op: 'secrets', args: { on: true, names: [...NAMES, '*pin*'] } }]
    });
    await bridge.connect();
    kernel.anyMessage.connect(record);
    bridge.connection!.anyMessage.connect(record);
    await run(kernel, SETUP);
    await run(kernel, FAILING);
  });

  afterAll(async () => {
    bridge?.dispose();
    await kernel.shutdown();
    manager.dispose();
  });

  it('reads every view of the namespace without the token crossing the wire', async () => {
    const values = (await bridge.request('values', { scope: GLOBALS })) as IValues;
    const byName = new Map(values.rows.map(r => [r.name, r]));
    expect(byName.get('api_token')?.masked).toBe(true);
    // The connection's own settings were in force from its first request on.
    expect(byName.get('door_pin')?.masked).toBe(true);
    expect(byName.get('config')?.masked).toBe(false);

    const config = await bridge.request('children', {
      scope: GLOBALS,
      path: [{ kind: 'name', name: 'config' }]
    });
    expect(config.rows.find(r => r.name === 'hf_token')?.masked).toBe(true);
    const envPath = [
      { kind: 'name', name: 'env' },
      { kind: 'attr', name: '_data' }
    ] as const;
    await bridge.request('children', { scope: GLOBALS, path: [...envPath] });
    const watch = await bridge.request('watch', {
      scope: GLOBALS,
      expressions: ['api_token', "config['hf_token']", "os.environ['MY_SERVICE_TOKEN']", 'env']
    });
    expect(watch.rows.slice(0, 3).every(r => r.masked)).toBe(true);
    for (const name of ['api_token', 'config', 'env']) {
      const path = [{ kind: 'name' as const, name }];
      await bridge.request('repr', { scope: GLOBALS, path });
      await bridge.request('structure', { scope: GLOBALS, target: { path } });
    }
    await bridge.request('threads', { locals: true });
    const postmortem = await bridge.request('postmortem', {});
    const login = postmortem.error!.chain[0].frames.slice(-1)[0];
    expect(login.rows.find(r => r.name === 'password')?.masked).toBe(true);

    expect(traffic.size).toBeGreaterThan(10);
    expect(carrying()).toEqual([]);
  });

  it('brings the token only in the reply to the Reveal the user asked for', async () => {
    const revealed = await bridge.request('reveal', {
      scope: GLOBALS,
      target: { path: [{ kind: 'name', name: 'api_token' }] }
    });
    expect(revealed.row.summary).toBe(`'${SECRET}'`);
    const watched = await bridge.request('reveal', {
      scope: GLOBALS,
      target: { expression: "os.environ['MY_SERVICE_TOKEN']" }
    });
    expect(watched.row.summary).toContain(SECRET);
    expect(carrying()).toHaveLength(2);
    expect(carrying().every(text => text.includes('"row"'))).toBe(true);

    // The next read is masked again: a reveal lasts only for what it brought.
    const values = (await bridge.request('values', { scope: GLOBALS })) as IValues;
    expect(values.rows.find(r => r.name === 'api_token')?.masked).toBe(true);
    expect(carrying()).toHaveLength(2);
  });
});
