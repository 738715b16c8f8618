/**
 * The Watch plugin: the Watch section in the debugger sidebar and its commands.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger, IDebuggerSidebar } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { NOTEBOOK_EXECUTIONS } from '../executions';
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
    'A Watch section in the debugger sidebar: expressions evaluated at every stop and live refresh, saved with the notebook.',
  autoStart: true,
  requires: [
    IDebugger,
    IDebuggerSidebar,
    INotebookTracker,
    ITranslator,
    IMLDebugger
  ],
  optional: [ICommandPalette, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    debug: IDebugger,
    sidebar: IDebugger.ISidebar,
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
    addWatchCommands(app.commands, service, trans);
    sidebar.addWidget(
      new WatchPanel({
        model,
        commands: app.commands,
        commandIds: {
          add: WatchCommandIDs.add,
          remove: WatchCommandIDs.remove,
          refresh: WatchCommandIDs.refresh
        },
        translator
      })
    );
    palette?.addItem({
      command: WatchCommandIDs.add,
      category: trans.__('ML Debugger')
    });
    // The live refresh interval is the Variable Values' setting: one rule for
    // how often a running cell is read.
    followMainSettings(settingRegistry, settings => {
      const { refreshInterval, requestTimeoutMs } = readSettings(settings);
      service.settings = { refreshInterval, requestTimeoutMs };
    });
  }
};
