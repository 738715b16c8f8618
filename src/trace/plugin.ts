/**
 * The Trace plugin: the Trace view and its commands.
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
import { followMainSettings, readSettings } from '../settings';
import { PatternRegistry } from '../patterns/registry';
import { registerView } from '../layout/register';
import { IMLDebugger } from '../tokens';
import { traceAttention } from './attention';
import { addTraceCommands, TraceCommandIDs } from './commands';
import { TracePanel } from './panel';
import { TraceService } from './service';

/**
 * The Trace view (Code Trace / Usage Trace): every breakpoint hit, with a
 * CSV export and a main-area plot.
 */
export const tracePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:trace',
  description:
    'A Trace view listing every breakpoint hit, its log text and recorded values.',
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
    const service = new TraceService({
      debugger: debug,
      notebookTracker,
      bridges: ml.bridges,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    // Rows are fetched while a cell runs at the Variable Values' refresh
    // interval: one rule for how often a running cell is read.
    followMainSettings(settingRegistry, settings => {
      service.refreshInterval = readSettings(settings).refreshInterval;
    });
    addTraceCommands(app.commands, app.shell, service, translator);
    registerView({
      ml,
      palette,
      trans,
      patterns: [PatternRegistry.CODE_TRACE],
      commands: [TraceCommandIDs.exportCsv, TraceCommandIDs.clear, TraceCommandIDs.plotColumn],
      view: {
        key: 'trace',
        label: trans.__('Trace'),
        rank: 30,
        shown: service,
        create: () =>
          new TracePanel({
            source: service,
            commands: app.commands,
            commandIds: {
              exportCsv: TraceCommandIDs.exportCsv,
              clear: TraceCommandIDs.clear,
              plotColumn: TraceCommandIDs.plotColumn
            },
            pattern: ml.patterns.require(PatternRegistry.CODE_TRACE),
            translator
          }),
        attention: traceAttention(service, trans)
      }
    });
  }
};
