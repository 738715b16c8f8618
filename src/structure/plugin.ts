/**
 * The Type Structure plugin: a view, its commands, and "Show Type
 * Structure" in the context menus of Variable Values, Watch and JupyterLab's
 * Variables panel.
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
import { addStructureCommands, StructureCommandIDs } from './commands';
import { contextSubject, VALUE_SELECTORS } from './context';
import { StructureModel } from './model';
import { StructurePanel } from './panel';
import { StructureService } from './service';

export const structurePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:structure',
  description:
    'A Type Structure view: what a value is made of, and a model as a tree of modules with parameter shapes.',
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
    const model = new StructureModel();
    const service = new StructureService({
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
      patterns: [PatternRegistry.TYPE_STRUCTURE],
      commands: [StructureCommandIDs.refresh, StructureCommandIDs.toggleRecording],
      view: {
        key: 'structure',
        label: trans.__('Type Structure'),
        rank: 40,
        shown: model,
        create: () =>
          new StructurePanel({
            model,
            commands: app.commands,
            commandIds: {
              refresh: StructureCommandIDs.refresh,
              toggleRecording: StructureCommandIDs.toggleRecording
            },
            pattern: ml.patterns.require(PatternRegistry.TYPE_STRUCTURE),
            translator
          })
      }
    });
    addStructureCommands(app.commands, service, {
      trans,
      fromContextMenu: contextSubject(app, { debugger: debug, valueRow: key => ml.values.rowByKey(key) }),
      reveal
    });
    VALUE_SELECTORS.forEach(selector =>
      app.contextMenu.addItem({ command: StructureCommandIDs.show, selector, rank: 20 })
    );
    palette?.addItem({
      command: StructureCommandIDs.show,
      category: trans.__('ML Debugger'),
      args: { palette: true }
    });
  }
};
