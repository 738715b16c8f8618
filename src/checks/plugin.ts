/**
 * The Checks plugin: a view with the ML checks, its commands, and
 * "Watch for NaN/Inf" and "Check Data Defects" in the context menus of
 * Variable Values and Type Structure.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { PatternRegistry } from '../patterns/registry';
import { contextSubject } from '../structure/context';
import { MODULE_ROW_SELECTOR, VALUE_ROW_SELECTOR, WATCH_ROW_SELECTOR } from '../structure/subjects';
import { registerView } from '../layout/register';
import { IMLDebugger } from '../tokens';
import { checksAttention } from './attention';
import { addChecksCommands, ChecksCommandIDs } from './commands';
import { ChecksModel } from './model';
import { ChecksPanel } from './panel';
import { ChecksService } from './service';

export const checksPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:checks',
  description:
    'A Checks view: NaN/Inf in reach and their origin, gradient health, shape errors explained, a checked step and data defects.',
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
    const model = new ChecksModel();
    const service = new ChecksService({
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
      commands: [ChecksCommandIDs.refresh, ChecksCommandIDs.unwatch, ChecksCommandIDs.checkedStep],
      patterns: [PatternRegistry.NAN_ORIGIN, PatternRegistry.DATA_DEFECTS],
      view: {
        key: 'checks',
        label: trans.__('Checks'),
        rank: 20,
        shown: model,
        create: () =>
          new ChecksPanel({
            model,
            commands: app.commands,
            commandIds: {
              refresh: ChecksCommandIDs.refresh,
              checkedStep: ChecksCommandIDs.checkedStep,
              unwatch: ChecksCommandIDs.unwatch
            },
            pattern: ml.patterns.require(PatternRegistry.NAN_ORIGIN),
            translator
          }),
        attention: checksAttention(model, trans)
      }
    });
    const isStopped = () => debug.isStarted && debug.model.callstack.frame !== null;
    addChecksCommands(app.commands, service, {
      trans,
      fromContextMenu: contextSubject(app, {
        debugger: debug,
        valueRow: key => ml.values.rowByKey(key)
      }),
      isStopped,
      reveal
    });
    debug.model.callstack.currentFrameChanged.connect(() =>
      app.commands.notifyCommandChanged(ChecksCommandIDs.checkedStep)
    );
    for (const selector of [VALUE_ROW_SELECTOR, MODULE_ROW_SELECTOR]) {
      app.contextMenu.addItem({ command: ChecksCommandIDs.watch, selector, rank: 22 });
    }
    for (const selector of [VALUE_ROW_SELECTOR, WATCH_ROW_SELECTOR]) {
      app.contextMenu.addItem({ command: ChecksCommandIDs.dataDefects, selector, rank: 23 });
    }
    if (palette) {
      const category = trans.__('ML Debugger');
      palette.addItem({ command: ChecksCommandIDs.watch, category, args: { palette: true } });
      // The true update-to-weight ratio copies the weights around each optimizer step.
      palette.addItem({
        command: ChecksCommandIDs.watch,
        category,
        args: { palette: true, updateRatio: true }
      });
      // Origins only: no gradient norms at each step end, the cheapest watch.
      palette.addItem({
        command: ChecksCommandIDs.watch,
        category,
        args: { palette: true, originsOnly: true }
      });
      palette.addItem({ command: ChecksCommandIDs.dataDefects, category, args: { palette: true } });
    }
  }
};
