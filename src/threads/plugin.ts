/**
 * The Threads plugin: a sidebar section with every thread's stack, the
 * spiking thread and deadlocks, and Break In (pause the running cell).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger, IDebuggerSidebar } from '@jupyterlab/debugger';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { revealSection, startFolded } from '../dom/reveal';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { PatternRegistry } from '../patterns/registry';
import { followMainSettings, readSettings } from '../settings';
import { IMLDebugger } from '../tokens';
import { BreakInState } from './breakIn';
import { addThreadsCommands, ThreadsCommandIDs } from './commands';
import { ThreadsModel } from './model';
import { ThreadsPanel } from './panel';
import { ThreadsService } from './service';

export const threadsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:threads',
  description:
    'A Threads section in the debugger sidebar: every thread’s stack while a cell runs, the spiking thread, deadlocks drawn as wait chains, and Break In.',
  autoStart: true,
  requires: [IDebugger, IDebuggerSidebar, INotebookTracker, ITranslator, IMLDebugger],
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
    for (const id of [
      PatternRegistry.STACK_TRACE_COLLECTION,
      PatternRegistry.SPIKING_THREAD,
      PatternRegistry.WAIT_CHAIN,
      PatternRegistry.BREAK_IN
    ]) {
      ml.patterns.markAvailable(id);
    }
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

    const panel = new ThreadsPanel({
      model,
      commands: app.commands,
      commandIds: { refresh: ThreadsCommandIDs.refresh, breakIn: ThreadsCommandIDs.breakIn },
      patterns: [
        PatternRegistry.STACK_TRACE_COLLECTION,
        PatternRegistry.SPIKING_THREAD,
        PatternRegistry.WAIT_CHAIN
      ].map(id => ml.patterns.require(id)),
      translator
    });
    sidebar.addWidget(panel);
    startFolded(sidebar, panel);
    addThreadsCommands(app.commands, service, breakIn, {
      trans,
      notebook: () => notebookTracker.currentWidget?.content ?? null,
      reveal: () => revealSection(app, sidebar, panel)
    });
    if (palette) {
      const category = trans.__('ML Debugger');
      palette.addItem({ command: ThreadsCommandIDs.refresh, category });
      palette.addItem({ command: ThreadsCommandIDs.breakIn, category });
    }
    // The live refresh interval is the Variable Values' setting: one rule for
    // how often a running cell is read.
    followMainSettings(settingRegistry, settings => {
      const { refreshInterval, requestTimeoutMs, callBudgetMs, valueBudgetMs } = readSettings(settings);
      service.settings = { refreshInterval, requestTimeoutMs, callBudgetMs, valueBudgetMs };
    });
  }
};
