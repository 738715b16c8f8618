/**
 * Following a plugin's settings: apply them now and on every change.
 */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { VariableValuesService } from './variables/service';

/** The plugin whose settings (schema/plugin.json) every section follows. */
export const SETTINGS_PLUGIN_ID = 'jupyterlab-ml-debugger:plugin';

/**
 * Load `pluginId`'s settings, apply them, and re-apply on change. Resolves
 * with the settings, or rejects when they could not be loaded (the caller
 * keeps its defaults and says so once).
 */
export async function followSettings(
  registry: ISettingRegistry,
  pluginId: string,
  apply: (settings: ISettingRegistry.ISettings) => void
): Promise<ISettingRegistry.ISettings> {
  const settings = await registry.load(pluginId);
  apply(settings);
  settings.changed.connect(() => apply(settings));
  return settings;
}

/**
 * A section follows the main plugin's settings, when there is a registry.
 * A load that fails leaves the section on its defaults: the main plugin has
 * already told the user.
 */
export function followMainSettings(
  registry: ISettingRegistry | null,
  apply: (settings: ISettingRegistry.ISettings) => void
): void {
  if (registry) {
    followSettings(registry, SETTINGS_PLUGIN_ID, apply).catch(() => undefined);
  }
}

/** The service settings from the registry, with defaults for anything odd. */
export function readSettings(
  settings: ISettingRegistry.ISettings
): VariableValuesService.ISettings {
  const defaults = VariableValuesService.DEFAULT_SETTINGS;
  const read = (key: Exclude<keyof VariableValuesService.ISettings, 'groupByScope'>): number => {
    const value = settings.composite[key];
    return typeof value === 'number' && Number.isFinite(value) && value > 0
      ? value
      : defaults[key];
  };
  return {
    refreshInterval: read('refreshInterval'),
    valueBudgetMs: read('valueBudgetMs'),
    callBudgetMs: read('callBudgetMs'),
    requestTimeoutMs: read('requestTimeoutMs'),
    groupByScope:
      typeof settings.composite.groupByScope === 'boolean'
        ? settings.composite.groupByScope
        : defaults.groupByScope
  };
}
