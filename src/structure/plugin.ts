/**
 * The Type Structure plugin: a sidebar section, its commands, and "Show Type
 * Structure" in the context menus of Variable Values, Watch and JupyterLab's
 * Variables panel.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger, IDebuggerSidebar } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { PatternRegistry } from '../patterns/registry';
import { revealSection } from '../dom/reveal';
import { IMLDebugger } from '../tokens';
import { addStructureCommands, StructureCommandIDs } from './commands';
import { contextSubject, VALUE_SELECTORS } from './context';
import { StructureModel } from './model';
import { StructurePanel } from './panel';
import { StructureService } from './service';

export const structurePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:structure',
  description:
    'A Type Structure section in the debugger sidebar: what a value is made of, and a model as a tree of modules with parameter shapes.',
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
    ml.patterns.markAvailable(PatternRegistry.TYPE_STRUCTURE);
    const model = new StructureModel();
    const service = new StructureService({
      debugger: debug,
      notebookTracker,
      bridges: ml.bridges,
      model,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    const panel = new StructurePanel({
      model,
      commands: app.commands,
      commandIds: {
        refresh: StructureCommandIDs.refresh,
        toggleRecording: StructureCommandIDs.toggleRecording
      },
      pattern: ml.patterns.require(PatternRegistry.TYPE_STRUCTURE),
      translator
    });
    sidebar.addWidget(panel);
    addStructureCommands(app.commands, service, {
      trans,
      fromContextMenu: contextSubject(app, { debugger: debug, valueRow: key => ml.values.rowByKey(key) }),
      reveal: () => revealSection(app, sidebar, panel)
    });
    VALUE_SELECTORS.forEach(selector =>
      app.contextMenu.addItem({ command: StructureCommandIDs.show, selector, rank: 20 })
    );
    if (palette) {
      const category = trans.__('ML Debugger');
      palette.addItem({ command: StructureCommandIDs.show, category, args: { palette: true } });
      palette.addItem({ command: StructureCommandIDs.refresh, category });
      palette.addItem({ command: StructureCommandIDs.toggleRecording, category });
    }
  }
};
