/**
 * The Exceptions plugin: a view with the last exception of the
 * kernel (Postmortem, Exception Stack Trace / Nested Exception), and "Debug
 * Last Exception" in the palette and the notebook cell context menu.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { PatternRegistry } from '../patterns/registry';
import { registerView } from '../layout/register';
import { IMLDebugger } from '../tokens';
import { postmortemAttention } from './attention';
import { addPostmortemCommands, PostmortemCommandIDs } from './commands';
import { PostmortemModel } from './model';
import { PostmortemPanel } from './panel';
import { PostmortemService } from './service';

export const postmortemPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:postmortem',
  description:
    'An Exceptions view: the last failed cell\'s exception chain, its frames and their values, read without running anything again.',
  autoStart: true,
  requires: [IDebugger, INotebookTracker, ITranslator, IMLDebugger],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    debug: IDebugger,
    notebookTracker: INotebookTracker,
    translator: ITranslator,
    ml: IMLDebugger,
    palette: ICommandPalette | null
  ): void => {
    const trans = translator.load('jupyterlab_ml_debugger');
    const model = new PostmortemModel();
    const service = new PostmortemService({
      debugger: debug,
      notebookTracker,
      bridges: ml.bridges,
      model,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    const patterns = [PatternRegistry.POSTMORTEM, PatternRegistry.EXCEPTION_STACK_TRACE];
    const reveal = registerView({
      ml,
      palette,
      trans,
      patterns,
      commands: [PostmortemCommandIDs.debugLastException],
      view: {
        key: 'exceptions',
        label: trans.__('Exceptions'),
        rank: 70,
        shown: model,
        create: () =>
          new PostmortemPanel({
            model,
            commands: app.commands,
            commandIds: { refresh: PostmortemCommandIDs.debugLastException },
            patterns: patterns.map(id => ml.patterns.require(id)),
            translator
          }),
        attention: postmortemAttention(model, trans)
      }
    });
    addPostmortemCommands(app.commands, service, { trans, reveal });
    app.contextMenu.addItem({
      command: PostmortemCommandIDs.debugLastException,
      selector: '.jp-Notebook .jp-Cell',
      rank: 30
    });
  }
};
