/**
 * Secrets stay secret: the kernel masks every value that looks like a secret
 * before it leaves the kernel, with the rules the settings give. Each new
 * connection to a kernel sends them before any other request (the bridge's
 * `setup`), so no reply is made under other rules; a change of the settings
 * goes to every kernel already connected.
 */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { KernelBridge } from '../kernel/bridge';
import type { IOperations, ISecrets, OperationCall } from '../kernel/protocol';

/**
 * The masking the settings ask for. Names are left out until the settings are
 * read: the kernel then keeps its own defaults, the same as the schema's.
 */
export type SecretsSetting = Partial<ISecrets>;

/** The masking in the settings; anything odd leaves the kernel's default. */
export function readSecrets(settings: ISettingRegistry.ISettings): SecretsSetting {
  const { maskSecrets, secretNames } = settings.composite;
  const names = Array.isArray(secretNames)
    ? secretNames.filter((n): n is string => typeof n === 'string' && n.trim() !== '')
    : undefined;
  return {
    on: typeof maskSecrets === 'boolean' ? maskSecrets : true,
    ...(names ? { names: names.map(n => n.trim()) } : {})
  };
}

/**
 * Holds the masking in force and sends it to kernels.
 */
export class SecretsSettings {
  constructor(options: SecretsSettings.IOptions) {
    this._onError = options.onError;
  }

  /** The masking sent to kernels. */
  get value(): SecretsSetting {
    return this._value;
  }

  /** The requests a new connection sends first: `KernelBridge.IOptions.setup`. */
  setup(): OperationCall[] {
    return [{ op: 'secrets', args: { ...this._value } }];
  }

  /** Use new settings: sent now to every bridge that is connected, later to the others. */
  async update(value: SecretsSetting, bridges: readonly SecretsSettings.IBridge[]): Promise<void> {
    this._value = { ...value };
    const ready = bridges.filter(bridge => bridge.state === 'ready');
    await Promise.all(
      ready.map(bridge => bridge.request('secrets', { ...this._value }).catch(this._onError))
    );
  }

  private _value: SecretsSetting = {};
  private _onError: (reason: unknown) => void;
}

export namespace SecretsSettings {
  export interface IOptions {
    /** Tells the user that a kernel did not take the settings. */
    onError: (reason: unknown) => void;
  }

  /** The part of a kernel bridge the settings are sent through. */
  export interface IBridge {
    readonly state: KernelBridge.State;
    request(
      op: 'secrets',
      args: IOperations['secrets']['args']
    ): Promise<IOperations['secrets']['result']>;
  }
}
