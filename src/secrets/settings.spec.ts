import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { IOperations } from '../kernel/protocol';
import { readSecrets, SecretsSettings } from './settings';

function settings(composite: Record<string, unknown>): ISettingRegistry.ISettings {
  return { composite } as unknown as ISettingRegistry.ISettings;
}

/** A bridge that records what it was sent. */
class Bridge implements SecretsSettings.IBridge {
  constructor(readonly state: SecretsSettings.IBridge['state']) {}
  sent: IOperations['secrets']['args'][] = [];
  fail = false;
  async request(op: 'secrets', args: IOperations['secrets']['args']) {
    if (this.fail) {
      throw new Error('The kernel did not answer.');
    }
    this.sent.push(args);
    return { on: args.on ?? true, names: args.names ?? [] };
  }
}

describe('Secrets settings', () => {
  it('reads the switch and the name patterns, leaving odd values to the kernel', () => {
    expect(readSecrets(settings({ maskSecrets: false, secretNames: [' *pin* ', '', 3] }))).toEqual({
      on: false,
      names: ['*pin*']
    });
    expect(readSecrets(settings({}))).toEqual({ on: true });
  });

  it('sends the masking first on every new connection, and a change to connected kernels only', async () => {
    const errors: unknown[] = [];
    const secrets = new SecretsSettings({ onError: reason => errors.push(reason) });
    // Before the settings are read, the kernel keeps its own defaults.
    expect(secrets.setup()).toEqual([{ op: 'secrets', args: {} }]);

    const ready = new Bridge('ready');
    const connecting = new Bridge('connecting');
    const broken = new Bridge('ready');
    broken.fail = true;
    await secrets.update({ on: true, names: ['*pin*'] }, [ready, connecting, broken]);
    expect(ready.sent).toEqual([{ on: true, names: ['*pin*'] }]);
    expect(connecting.sent).toEqual([]);
    expect(errors).toHaveLength(1);
    // The bridge still connecting sends the new masking as its first request.
    expect(secrets.setup()).toEqual([{ op: 'secrets', args: { on: true, names: ['*pin*'] } }]);
  });
});
