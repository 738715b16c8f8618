/**
 * The Trace commands: export, clear and plot the current kernel's trace.
 * Failures reach the user as notifications that say what to do.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, Notification } from '@jupyterlab/apputils';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import {
  clearIcon,
  downloadIcon,
  lineFormIcon
} from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import { DisposableDelegate, DisposableSet } from '@lumino/disposable';
import { openInMainArea } from '../layout/mainArea';
import { traceToCsv } from './csv';
import type { TraceModel } from './model';
import { TracePlot } from './plot';
import type { TraceService } from './service';

export namespace TraceCommandIDs {
  export const exportCsv = 'ml-debugger:export-trace-csv';
  export const clear = 'ml-debugger:clear-trace';
  export const plotColumn = 'ml-debugger:plot-trace-column';
}

/**
 * Add the Trace commands; disposing the result removes them.
 */
export function addTraceCommands(
  commands: CommandRegistry,
  shell: JupyterFrontEnd.IShell,
  service: TraceService,
  translator: ITranslator
): IDisposable {
  const trans = translator.load('jupyterlab_ml_debugger');
  const hasRows = () => (service.model?.rows.length ?? 0) > 0;
  const set = new DisposableSet();
  set.add(
    commands.addCommand(TraceCommandIDs.exportCsv, {
      label: trans.__('Export Trace as CSV'),
      caption: trans.__('Save every row of the trace as a CSV file'),
      icon: args => (args.toolbar ? downloadIcon : undefined),
      isEnabled: hasRows,
      execute: () => {
        const model = service.model;
        if (!model) {
          return;
        }
        const csv = traceToCsv(model.rows, {
          columns: model.columns,
          cellOf: path => service.cellOf(path)
        });
        download(csv, `trace-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`);
      }
    })
  );
  set.add(
    commands.addCommand(TraceCommandIDs.clear, {
      label: trans.__('Clear Trace'),
      caption: trans.__('Forget every row of the trace; hit counts are kept'),
      icon: args => (args.toolbar ? clearIcon : undefined),
      isEnabled: () => service.model !== null,
      execute: () =>
        service.clear().catch(reason => {
          Notification.error(
            reason instanceof Error ? reason.message : String(reason),
            { autoClose: 8000 }
          );
        })
    })
  );
  set.add(
    commands.addCommand(TraceCommandIDs.plotColumn, {
      label: args =>
        typeof args.column === 'string'
          ? trans.__('Plot %1 over Hits', args.column)
          : trans.__('Plot Trace Column'),
      caption: trans.__('Draw a recorded number over hits in the main area'),
      icon: args => (args.toolbar ? lineFormIcon : undefined),
      isEnabled: () => (service.model?.numericColumns().length ?? 0) > 0,
      execute: args => {
        const model = service.model;
        const column =
          typeof args.column === 'string'
            ? args.column
            : model?.numericColumns()[0];
        if (!model || !column) {
          Notification.info(
            trans.__(
              'Nothing to plot yet: give a breakpoint a record action with a number, such as loss.item(), and run the cell.'
            ),
            { autoClose: 6000 }
          );
          return;
        }
        openPlot(shell, model, column, translator, trans);
      }
    })
  );

  // Toolbar buttons read isEnabled: tell them when the trace changed.
  let watched: TraceModel | null = null;
  const notify = () => {
    commands.notifyCommandChanged(TraceCommandIDs.exportCsv);
    commands.notifyCommandChanged(TraceCommandIDs.clear);
    commands.notifyCommandChanged(TraceCommandIDs.plotColumn);
  };
  const follow = () => {
    watched?.changed.disconnect(notify);
    watched = service.model;
    watched?.changed.connect(notify);
    notify();
  };
  service.currentChanged.connect(follow);
  follow();
  set.add(
    new DisposableDelegate(() => {
      service.currentChanged.disconnect(follow);
      watched?.changed.disconnect(notify);
    })
  );
  return set;
}

function openPlot(
  shell: JupyterFrontEnd.IShell,
  model: TraceModel,
  column: string,
  translator: ITranslator,
  trans: TranslationBundle
): void {
  const content = new TracePlot({ model, column, translator });
  const widget = new MainAreaWidget({ content });
  widget.id = `jp-MLDebuggerTrace-plot-${Private.nextId++}`;
  widget.title.label = trans.__('Trace: %1', column);
  widget.title.closable = true;
  openInMainArea(shell, widget);
}

/** Hand CSV text to the browser as a file download. */
function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The click has started the download; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

namespace Private {
  export let nextId = 0;
}
