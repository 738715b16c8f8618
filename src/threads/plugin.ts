/**
 * The Threads plugin: a view with every thread's stack, the
 * spiking thread and deadlocks, and Break In (pause the running cell).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger } from '@jupyterlab/debugger';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { PatternRegistry } from '../patterns/registry';
import { registerView } from '../layout/register';
import { followMainSettings, readSettings } from '../settings';
import { IMLDebugger } from '../tokens';
import { threadsAttention } from './attention';
import { BreakInState } from './breakIn';
import { addThreadsCommands, ThreadsCommandIDs } from './commands';
import { ThreadsModel } from './model';
import { ThreadsPanel } from './panel';
import { ThreadsService } from './service';

export const threadsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:threads',
  description:
    'A Threads view: every thread’s stack while a cell runs, the spiking thread, deadlocks drawn as wait chains, and Break In.',
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
    const model = new ThreadsModel();
    const service = new ThreadsService({
      debugger: debug,
      notebookTracker,
      bridges: ml.bridges,
      model,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    const breakIn = new BreakInState({
      debugger: debug,
      executions: NOTEBOOK_EXECUTIONS,
      kernelOf: notebook =>
        notebookTracker.find(panel => panel.content === notebook)?.sessionContext.session?.kernel ?? null,
      trans
    });
    // A restart or a new kernel ends the running cells without an "executed".
    const followKernel = (panel: NotebookPanel) => {
      const forget = () => breakIn.forget(panel.content);
      panel.sessionContext.kernelChanged.connect(forget);
      panel.sessionContext.statusChanged.connect((_, status) => {
        if (status === 'restarting' || status === 'autorestarting' || status === 'dead') {
          forget();
        }
      });
    };
    notebookTracker.forEach(followKernel);
    notebookTracker.widgetAdded.connect((_, panel) => followKernel(panel));
    const notifyBreakIn = () => app.commands.notifyCommandChanged(ThreadsCommandIDs.breakIn);
    breakIn.changed.connect(notifyBreakIn);
    notebookTracker.currentChanged.connect(notifyBreakIn);

    const shown = [
      PatternRegistry.STACK_TRACE_COLLECTION,
      PatternRegistry.SPIKING_THREAD,
      PatternRegistry.WAIT_CHAIN,
      PatternRegistry.ACTIVE_THREAD,
      PatternRegistry.BLOCKED_THREAD,
      PatternRegistry.BLOCKING_MODULE
    ];
    const reveal = registerView({
      ml,
      palette,
      trans,
      patterns: [...shown, PatternRegistry.BREAK_IN],
      commands: [ThreadsCommandIDs.refresh, ThreadsCommandIDs.breakIn],
      view: {
        key: 'threads',
        label: trans.__('Threads'),
        rank: 50,
        shown: model,
        create: () =>
          new ThreadsPanel({
            model,
            commands: app.commands,
            commandIds: { refresh: ThreadsCommandIDs.refresh, breakIn: ThreadsCommandIDs.breakIn },
            patterns: shown.map(id => ml.patterns.require(id)),
            translator
          }),
        attention: threadsAttention(model, trans)
      }
    });
    addThreadsCommands(app.commands, service, breakIn, {
      trans,
      notebook: () => notebookTracker.currentWidget?.content ?? null,
      reveal
    });
    // The live refresh interval is the Variable Values' setting: one rule for
    // how often a running cell is read.
    followMainSettings(settingRegistry, settings => {
      const { refreshInterval, requestTimeoutMs, callBudgetMs, valueBudgetMs } = readSettings(settings);
      service.settings = { refreshInterval, requestTimeoutMs, callBudgetMs, valueBudgetMs };
    });
  }
};
