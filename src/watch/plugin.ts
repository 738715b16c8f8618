/**
 * The Watch plugin: the Watch view and its commands.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { registerView } from '../layout/register';
import { followMainSettings, readSettings } from '../settings';
import { IMLDebugger } from '../tokens';
import { addWatchCommands, WatchCommandIDs } from './commands';
import { WatchModel } from './model';
import { WatchPanel } from './panel';
import { WatchService } from './service';

/**
 * The Watch section: expressions evaluated where the debugger stands, saved
 * with the notebook.
 */
export const watchPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:watch',
  description:
    'A Watch view: expressions evaluated at every stop and live refresh, saved with the notebook.',
  autoStart: true,
  requires: [
    IDebugger,
    INotebookTracker,
    ITranslator,
    IMLDebugger
  ],
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
    const model = new WatchModel();
    const service = new WatchService({
      debugger: debug,
      notebookTracker,
      bridges: ml.bridges,
      model,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    const reveal = registerView({
      ml,
      palette,
      trans,
      patterns: [],
      commands: [WatchCommandIDs.add],
      view: {
        key: 'watch',
        label: trans.__('Watch'),
        rank: 10,
        shown: model,
        create: () =>
          new WatchPanel({
            model,
            commands: app.commands,
            commandIds: {
              add: WatchCommandIDs.add,
              remove: WatchCommandIDs.remove,
              refresh: WatchCommandIDs.refresh,
              reveal: WatchCommandIDs.reveal
            },
            translator
          })
      }
    });
    addWatchCommands(app.commands, service, trans, () => void reveal());
    // The live refresh interval is the Variable Values' setting: one rule for
    // how often a running cell is read.
    followMainSettings(settingRegistry, settings => {
      const { refreshInterval, requestTimeoutMs } = readSettings(settings);
      service.settings = { refreshInterval, requestTimeoutMs };
    });
  }
};
