/**
 * The tensor viewer plugin: "Open in Tensor Viewer" in the context menus of
 * Variable Values, Watch and JupyterLab's Variables panel and in the palette;
 * each viewer is a main-area widget that follows the debugger.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { IDebugger } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { contextSubject, VALUE_SELECTORS } from '../structure/context';
import type { ISubject } from '../structure/subjects';
import { openInMainArea } from '../layout/mainArea';
import { IMLDebugger } from '../tokens';
import { addViewerCommands, ViewerCommandIDs } from './commands';
import { ViewerModel } from './model';
import { ViewerService } from './service';
import { TensorViewer } from './widget';

export const viewerPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:viewer',
  description:
    'A tensor viewer in the main area: a heatmap of a 2-D slice with NaN/Inf marked, a histogram of the whole tensor, and DataFrame statistics.',
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
    const tracker = new WidgetTracker<MainAreaWidget<TensorViewer>>({
      namespace: 'ml-debugger-tensor-viewer'
    });
    const services = new WeakMap<TensorViewer, ViewerService>();

    const open = async (subject: ISubject): Promise<void> => {
      const model = new ViewerModel(subject);
      const service = new ViewerService({
        debugger: debug,
        notebookTracker,
        bridges: ml.bridges,
        model,
        executions: NOTEBOOK_EXECUTIONS,
        translator
      });
      const content = new TensorViewer({ model, translator });
      services.set(content, service);
      const widget = new MainAreaWidget({ content });
      widget.id = `ml-debugger-viewer-${++count}`;
      widget.title.label = trans.__('View: %1', subject.label);
      widget.title.caption = trans.__('Tensor viewer of %1', subject.label);
      widget.title.closable = true;
      widget.toolbar.addItem(
        'refresh',
        new CommandToolbarButton({
          commands: app.commands,
          id: ViewerCommandIDs.refresh,
          args: { toolbar: true },
          label: ''
        })
      );
      widget.disposed.connect(() => service.dispose());
      await tracker.add(widget);
      openInMainArea(app.shell, widget, { mode: 'split-right' });
      await service.refresh();
    };
    let count = 0;

    addViewerCommands(app.commands, {
      trans,
      fromContextMenu: contextSubject(app, { debugger: debug, valueRow: key => ml.values.rowByKey(key) }),
      open,
      refreshCurrent: async () => {
        const content = tracker.currentWidget?.content;
        const service = content && services.get(content);
        if (service) {
          await service.refresh();
        }
      }
    });
    VALUE_SELECTORS.forEach(selector =>
      app.contextMenu.addItem({ command: ViewerCommandIDs.open, selector, rank: 21 })
    );
    if (palette) {
      const category = trans.__('ML Debugger');
      palette.addItem({ command: ViewerCommandIDs.open, category, args: { palette: true } });
      palette.addItem({ command: ViewerCommandIDs.refresh, category });
    }
  }
};
