/**
 * The Exceptions plugin: a sidebar section with the last exception of the
 * kernel (Postmortem, Exception Stack Trace / Nested Exception), and "Debug
 * Last Exception" in the palette and the notebook cell context menu.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger, IDebuggerSidebar } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';
import { revealSection, startFolded } from '../dom/reveal';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { PatternRegistry } from '../patterns/registry';
import { IMLDebugger } from '../tokens';
import { addPostmortemCommands, PostmortemCommandIDs } from './commands';
import { PostmortemModel } from './model';
import { PostmortemPanel } from './panel';
import { PostmortemService } from './service';

export const postmortemPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:postmortem',
  description:
    'An Exceptions section in the debugger sidebar: the last failed cell\'s exception chain, its frames and their values, read without running anything again.',
  autoStart: true,
  requires: [IDebugger, IDebuggerSidebar, INotebookTracker, ITranslator, IMLDebugger],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    debug: IDebugger,
    sidebar: IDebugger.ISidebar,
    notebookTracker: INotebookTracker,
    translator: ITranslator,
    ml: IMLDebugger,
    palette: ICommandPalette | null
  ): void => {
    const trans = translator.load('jupyterlab_ml_debugger');
    ml.patterns.markAvailable(PatternRegistry.POSTMORTEM);
    ml.patterns.markAvailable(PatternRegistry.EXCEPTION_STACK_TRACE);
    const model = new PostmortemModel();
    const service = new PostmortemService({
      debugger: debug,
      notebookTracker,
      bridges: ml.bridges,
      model,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    const panel = new PostmortemPanel({
      model,
      commands: app.commands,
      commandIds: { refresh: PostmortemCommandIDs.debugLastException },
      patterns: [
        ml.patterns.require(PatternRegistry.POSTMORTEM),
        ml.patterns.require(PatternRegistry.EXCEPTION_STACK_TRACE)
      ],
      translator
    });
    sidebar.addWidget(panel);
    startFolded(sidebar, panel);
    addPostmortemCommands(app.commands, service, {
      trans,
      reveal: () => revealSection(app, sidebar, panel)
    });
    app.contextMenu.addItem({
      command: PostmortemCommandIDs.debugLastException,
      selector: '.jp-Notebook .jp-Cell',
      rank: 30
    });
    palette?.addItem({
      command: PostmortemCommandIDs.debugLastException,
      category: trans.__('ML Debugger')
    });
  }
};
