/**
 * The Crash and Hang plugin: a view with the crash report of the current
 * notebook's kernel (read from the server extension) and the hang flag of
 * its running cell (read from the probe, or from outside the process).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { registerView } from '../layout/register';
import { PatternRegistry } from '../patterns/registry';
import { followMainSettings, readSettings } from '../settings';
import { IMLDebugger } from '../tokens';
import { crashAttention } from './attention';
import { addCrashCommands, CrashCommandIDs } from './commands';
import { CrashModel } from './model';
import { CrashPanel } from './panel';
import { CrashServer } from './server';
import { CrashService } from './service';

export const crashPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:crash',
  description:
    'A Crash and Hang view: how the kernel died, the cause, its last cell and stacks; where a running cell is stuck, read from outside when the kernel does not answer.',
  autoStart: true,
  requires: [IDebugger, INotebookTracker, ITranslator, IMLDebugger],
  optional: [ICommandPalette, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    debug: IDebugger,
    notebookTracker: INotebookTracker,
    translator: ITranslator,
    ml: IMLDebugger,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const trans = translator.load('jupyterlab_ml_debugger');
    const model = new CrashModel();
    const service = new CrashService({
      debugger: debug,
      notebookTracker,
      bridges: ml.bridges,
      server: new CrashServer({ settings: app.serviceManager.serverSettings, trans }),
      model,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    const patterns = [PatternRegistry.CRASH, PatternRegistry.HANG];
    const commandIds = {
      refresh: CrashCommandIDs.refresh,
      dismiss: CrashCommandIDs.dismiss,
      readOutside: CrashCommandIDs.readOutside,
      showCell: CrashCommandIDs.showCell
    };
    registerView({
      ml,
      palette,
      trans,
      patterns,
      commands: [CrashCommandIDs.refresh, CrashCommandIDs.dismiss, CrashCommandIDs.readOutside],
      view: {
        key: 'crash',
        label: trans.__('Crash and Hang'),
        rank: 75,
        shown: model,
        create: () =>
          new CrashPanel({
            model,
            commands: app.commands,
            commandIds,
            patterns: patterns.map(id => ml.patterns.require(id)),
            translator
          }),
        attention: crashAttention(model, trans)
      }
    });
    addCrashCommands(app.commands, service, {
      trans,
      findCell: (kernelId, cellId) => {
        const panel = notebookTracker.find(p => p.sessionContext.session?.kernel?.id === kernelId);
        const index = panel?.content.widgets.findIndex(cell => cell.model.id === cellId) ?? -1;
        return panel && index >= 0
          ? { notebook: panel.content, index, activate: () => app.shell.activateById(panel.id) }
          : null;
      }
    });
    // Dismiss and the outside reading follow what the model shows.
    model.changed.connect(() => {
      app.commands.notifyCommandChanged(CrashCommandIDs.dismiss);
      app.commands.notifyCommandChanged(CrashCommandIDs.readOutside);
    });
    // The live refresh interval and the kernel's timeout are Variable Values'
    // settings: one rule for how often a running cell is read.
    followMainSettings(settingRegistry, settings => {
      const { refreshInterval, requestTimeoutMs } = readSettings(settings);
      const threshold = settings.composite.hangThresholdSeconds;
      service.settings = {
        refreshInterval,
        requestTimeoutMs,
        hangThresholdSeconds:
          typeof threshold === 'number' && Number.isFinite(threshold) && threshold > 0
            ? threshold
            : CrashService.DEFAULT_SETTINGS.hangThresholdSeconds
      };
    });
  }
};
