/**
 * The ML debugger's plugins: construct and wire, nothing else.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IDebugger, IDebuggerSidebar } from '@jupyterlab/debugger';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { addValuesCommands, CommandIDs } from './commands';
import { BridgeRegistry } from './kernel/registry';
import { builtinPatterns, PatternRegistry } from './patterns/registry';
import { IMLDebugger } from './tokens';
import { VariableValuesModel } from './variables/model';
import { VariableValuesPanel } from './variables/panel';
import { VariableValuesService } from './variables/service';

const PLUGIN_ID = 'jupyterlab-ml-debugger:plugin';

/**
 * Shared services, and the Variable Values section of the debugger sidebar.
 */
const plugin: JupyterFrontEndPlugin<IMLDebugger> = {
  id: PLUGIN_ID,
  description:
    'Variable Values in the debugger sidebar, and the kernel bridges and pattern registry the other sections share.',
  autoStart: true,
  provides: IMLDebugger,
  requires: [
    IDebugger,
    IDebuggerSidebar,
    INotebookTracker,
    ISettingRegistry,
    ITranslator
  ],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    debug: IDebugger,
    sidebar: IDebugger.ISidebar,
    notebookTracker: INotebookTracker,
    settingRegistry: ISettingRegistry,
    translator: ITranslator,
    palette: ICommandPalette | null
  ): IMLDebugger => {
    const trans = translator.load('jupyterlab_ml_debugger');
    const bridges = new BridgeRegistry({
      stoppedFrame: kernel =>
        debug.session?.connection?.kernel === kernel
          ? (debug.model.callstack.frame?.id ?? null)
          : null
    });
    const patterns = new PatternRegistry({ patterns: builtinPatterns(trans) });

    const model = new VariableValuesModel();
    const service = new VariableValuesService({
      debugger: debug,
      notebookTracker,
      bridges,
      model,
      executions: {
        scheduled: NotebookActions.executionScheduled,
        executed: NotebookActions.executed
      },
      translator
    });
    addValuesCommands(app.commands, service, trans);

    sidebar.addWidget(
      new VariableValuesPanel({
        model,
        commands: app.commands,
        commandIds: {
          refresh: CommandIDs.refreshValues,
          toggleRow: CommandIDs.toggleValueRow,
          showRepr: CommandIDs.showRepr
        },
        pattern: patterns.require(PatternRegistry.VARIABLE_VALUE),
        translator
      })
    );

    if (palette) {
      const category = trans.__('ML Debugger');
      palette.addItem({ command: CommandIDs.refreshValues, category });
      palette.addItem({ command: CommandIDs.toggleValuesSort, category });
    }

    settingRegistry
      .load(PLUGIN_ID)
      .then(settings => {
        const apply = () => {
          service.settings = readSettings(settings);
        };
        apply();
        settings.changed.connect(apply);
      })
      .catch(reason => {
        Notification.warning(
          trans.__(
            'The ML debugger settings could not be loaded (%1); the defaults are used. Check them in the Settings Editor.',
            String(reason)
          )
        );
      });

    return { bridges, patterns };
  }
};

/** The service settings from the registry, with defaults for anything odd. */
function readSettings(
  settings: ISettingRegistry.ISettings
): VariableValuesService.ISettings {
  const defaults = VariableValuesService.DEFAULT_SETTINGS;
  const read = (key: keyof VariableValuesService.ISettings): number => {
    const value = settings.composite[key];
    return typeof value === 'number' && Number.isFinite(value) && value > 0
      ? value
      : defaults[key];
  };
  return {
    refreshInterval: read('refreshInterval'),
    valueBudgetMs: read('valueBudgetMs'),
    callBudgetMs: read('callBudgetMs'),
    requestTimeoutMs: read('requestTimeoutMs')
  };
}

export default [plugin];
