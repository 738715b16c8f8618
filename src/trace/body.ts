/**
 * The trace table: one row per hit, newest first, one column per recorded
 * expression with a sparkline of its numbers in the header. Text only
 * (textContent), and at most MAX_RENDERED rows in the DOM however many are
 * kept, so a long training loop does not slow the sidebar down.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { ISignal } from '@lumino/signaling';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type { ITraceRow } from '../kernel/protocol';
import { createSparkline } from '../sparkline/widget';
import type { TraceModel } from './model';

/**
 * The body of the Trace section, following the current kernel's model.
 */
export class TraceBody extends Widget {
  constructor(options: TraceBody.IOptions) {
    super();
    this.addClass('jp-MLDebuggerTrace-body');
    this._source = options.source;
    this._commands = options.commands;
    this._plotCommand = options.plotCommand;
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_ml_debugger'
    );
    this._source.currentChanged.connect(this._onCurrent, this);
    this._onCurrent();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model?.changed.disconnect(this.update, this);
    this._source.currentChanged.disconnect(this._onCurrent, this);
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.update();
  }

  protected onUpdateRequest(msg: Message): void {
    // Hidden, nothing is drawn; the model keeps filling and is drawn on show.
    if (!this.isVisible && this.isAttached) {
      return;
    }
    this.node.replaceChildren(...this._render());
  }

  private _onCurrent(): void {
    this._model?.changed.disconnect(this.update, this);
    this._model = this._source.model;
    this._model?.changed.connect(this.update, this);
    this.update();
  }

  private _render(): HTMLElement[] {
    const trans = this._trans;
    const model = this._model;
    const status = el('div', 'jp-MLDebuggerTrace-status');
    if (!model) {
      status.textContent = trans.__(
        'Open a notebook with a running kernel to see its trace here.'
      );
      return [status];
    }
    const rows = model.rows;
    const parts = [trans._n('%1 hit', '%1 hits', rows.length)];
    if (model.dropped > 0) {
      parts.push(
        trans.__('%1 older rows dropped (the trace keeps the last %2)', model.dropped, model.capacity)
      );
    }
    if (rows.length > TraceBody.MAX_RENDERED) {
      parts.push(trans.__('showing the newest %1; export CSV for all', TraceBody.MAX_RENDERED));
    }
    status.textContent =
      rows.length === 0 && model.dropped === 0
        ? trans.__(
            'No hits yet. Give a breakpoint a log message or a record action, then run the cell.'
          )
        : parts.join(' · ');
    const out = [status];
    if (model.message) {
      const message = el('div', 'jp-MLDebuggerTrace-message');
      message.textContent = model.message;
      out.push(message);
    }
    if (rows.length > 0) {
      out.push(this._table(model, rows));
    }
    return out;
  }

  private _table(model: TraceModel, rows: readonly ITraceRow[]): HTMLElement {
    const trans = this._trans;
    const table = el('table', 'jp-MLDebuggerTrace-table') as HTMLTableElement;
    const head = table.createTHead().insertRow();
    const fixed: Array<[string, string]> = [
      ['time', trans.__('Time')],
      ['cell', trans.__('Cell')],
      ['line', trans.__('Line')],
      ['hit', trans.__('Hit')],
      ['log', trans.__('Log')]
    ];
    for (const [name, label] of fixed) {
      const th = el('th', 'jp-MLDebuggerTrace-header');
      th.dataset.name = name;
      th.textContent = label;
      head.appendChild(th);
    }
    for (const column of model.columns) {
      head.appendChild(this._columnHeader(model, column));
    }
    const body = table.createTBody();
    const cellOf = new Map<string, number | null>();
    const shown = rows.slice(-TraceBody.MAX_RENDERED).reverse();
    for (const row of shown) {
      const tr = body.insertRow();
      tr.className = 'jp-MLDebuggerTrace-row';
      tr.dataset.seq = String(row.seq);
      if (row.error) {
        tr.classList.add('jp-mod-error');
      }
      if (!cellOf.has(row.path)) {
        cellOf.set(row.path, this._source.cellOf(row.path));
      }
      const cell = cellOf.get(row.path);
      const texts: Array<[string, string]> = [
        ['time', new Date(row.time * 1000).toLocaleTimeString()],
        ['cell', cell === null || cell === undefined ? '' : `[${cell}]`],
        ['line', String(row.line)],
        ['hit', String(row.hit)],
        ['log', row.error ?? row.log ?? '']
      ];
      for (const [name, text] of texts) {
        const td = tr.insertCell();
        td.dataset.name = name;
        td.textContent = text;
        if (name === 'cell' && !text) {
          td.title = row.path;
        }
      }
      for (const column of model.columns) {
        const td = tr.insertCell();
        td.dataset.column = column;
        td.textContent = row.values[column]?.summary ?? '';
      }
    }
    return table;
  }

  private _columnHeader(model: TraceModel, column: string): HTMLElement {
    const th = el('th', 'jp-MLDebuggerTrace-header');
    th.dataset.column = column;
    const name = el('span', 'jp-MLDebuggerTrace-columnName');
    name.textContent = column;
    th.appendChild(name);
    if (model.isNumeric(column)) {
      const label = this._trans.__('%1 over hits', column);
      th.appendChild(createSparkline(model.series(column), label));
      const plot = el('button', 'jp-MLDebuggerTrace-plot jp-mod-styled');
      plot.textContent = this._trans.__('Plot');
      plot.title = this._trans.__('Plot %1 over hits in the main area', column);
      plot.addEventListener('click', () => {
        void this._commands.execute(this._plotCommand, { column });
      });
      th.appendChild(plot);
    }
    return th;
  }

  private _source: TraceBody.ISource;
  private _model: TraceModel | null = null;
  private _commands: CommandRegistry;
  private _plotCommand: string;
  private _trans: TranslationBundle;
}

export namespace TraceBody {
  /** Where the body finds the current trace, as `TraceService` offers it. */
  export interface ISource {
    readonly model: TraceModel | null;
    readonly currentChanged: ISignal<unknown, TraceModel | null>;
    cellOf(path: string): number | null;
  }

  export interface IOptions {
    source: ISource;
    commands: CommandRegistry;
    /** The command that plots a column; called with `{ column }`. */
    plotCommand: string;
    translator?: ITranslator;
  }

  /** The most rows in the DOM; the model keeps more, and the CSV has all. */
  export const MAX_RENDERED = 500;
}

function el(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
