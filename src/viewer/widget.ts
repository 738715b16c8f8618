/**
 * The tensor viewer's view: axis and index controls, the heatmap of the
 * slice with non-finite cells in colours of their own and the value under
 * the cursor, the histogram of the whole tensor, and for a DataFrame its
 * head, tail and column statistics. Values are text, never HTML.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { IHistogram, ISlice, ITable } from '../kernel/structureProtocol';
import { formatShape } from '../structure/tree';
import { heatmapPixels, NAN_COLOR, NEG_INF_COLOR, POS_INF_COLOR } from './heatmap';
import type { ViewerModel } from './model';
import { cellAt, formatValue } from './slicing';
import { textNode as text, textTable as grid } from '../dom/text';

const CLASS = 'jp-MLDebuggerViewer';

/**
 * Renders a ViewerModel.
 */
export class TensorViewer extends Widget {
  constructor(options: TensorViewer.IOptions) {
    super();
    this.model = options.model;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this.addClass(CLASS);
    this._canvas.className = `${CLASS}-heatmap`;
    this._canvas.addEventListener('mousemove', this._onMove);
    this._canvas.addEventListener('mouseleave', () => {
      this._readout.textContent = this._trans.__('Point at a cell to read its value.');
    });
    this._readout.className = `${CLASS}-readout`;
    this._readout.setAttribute('aria-live', 'polite');
    this.model.changed.connect(this._render, this);
    this._render();
  }

  readonly model: ViewerModel;

  dispose(): void {
    this.model.changed.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const model = this.model;
    const trans = this._trans;
    const nodes: HTMLElement[] = [
      text('div', `${CLASS}-title`, `${model.subject.label} — ${model.where || trans.__('not read yet')}`)
    ];
    if (model.status === 'loading') {
      nodes.push(text('div', `${CLASS}-message`, trans.__('Reading %1…', model.subject.label)));
    } else if (model.status === 'error') {
      nodes.push(text('div', `${CLASS}-message ${CLASS}-message-error`, model.message));
    }
    if (model.slice) {
      nodes.push(...this._tensor(model.slice, model.histogram));
    } else if (model.table) {
      nodes.push(...this._table(model.table));
    }
    this.node.replaceChildren(...nodes);
    this.node.setAttribute('aria-busy', String(model.status === 'loading'));
  }

  private _tensor(slice: ISlice, histogram: IHistogram | null): HTMLElement[] {
    const trans = this._trans;
    const out: HTMLElement[] = [
      text(
        'div',
        `${CLASS}-facts`,
        trans.__('%1 %2 on %3', formatShape(slice.shape), slice.dtype, slice.device) +
          (slice.rowStep > 1 || slice.colStep > 1
            ? ' · ' + trans.__('every %1th row and %2th column shown', slice.rowStep, slice.colStep)
            : '')
      ),
      this._controls(slice)
    ];
    this._canvas.width = Math.max(1, slice.cols);
    this._canvas.height = Math.max(1, slice.rows);
    const context = this._canvas.getContext('2d');
    if (context && slice.values.length) {
      context.putImageData(new ImageData(heatmapPixels(slice), slice.cols, slice.rows), 0, 0);
    }
    this._canvas.setAttribute(
      'aria-label',
      trans.__('Heatmap of %1 × %2 values; %3 NaN, %4 Inf', slice.rows, slice.cols, slice.nan, slice.inf)
    );
    this._readout.textContent = trans.__('Point at a cell to read its value.');
    out.push(this._canvas, this._readout, this._legend(slice));
    if (histogram) {
      out.push(this._histogram(histogram));
    }
    return out;
  }

  private _controls(slice: ISlice): HTMLElement {
    const trans = this._trans;
    const box = document.createElement('div');
    box.className = `${CLASS}-controls`;
    const ndim = slice.shape.length;
    if (ndim >= 2) {
      const [rowAxis, colAxis] = this.model.axes;
      box.append(
        this._axisSelect(trans.__('rows'), ndim, rowAxis, v => this.model.setAxes(v, colAxis)),
        this._axisSelect(trans.__('columns'), ndim, colAxis, v => this.model.setAxes(rowAxis, v))
      );
    }
    slice.shape.forEach((size, dim) => {
      if (this.model.axes.includes(dim)) {
        return;
      }
      const label = document.createElement('label');
      label.className = `${CLASS}-index`;
      label.textContent = trans.__('dim %1', dim);
      const input = document.createElement('input');
      input.type = 'number';
      input.min = '0';
      input.max = String(size - 1);
      input.value = String(this.model.index[dim] ?? 0);
      input.className = 'jp-mod-styled';
      input.setAttribute('aria-label', trans.__('index of dimension %1 (0 to %2)', dim, size - 1));
      input.addEventListener('change', () => this.model.setIndex(dim, Number(input.value)));
      label.appendChild(input);
      box.appendChild(label);
    });
    return box;
  }

  private _axisSelect(name: string, ndim: number, value: number, set: (v: number) => void): HTMLElement {
    const label = document.createElement('label');
    label.className = `${CLASS}-axis`;
    label.textContent = name;
    const select = document.createElement('select');
    select.className = 'jp-mod-styled';
    for (let dim = 0; dim < ndim; dim++) {
      const option = document.createElement('option');
      option.value = String(dim);
      option.textContent = this._trans.__('dim %1', dim);
      select.appendChild(option);
    }
    select.value = String(value);
    select.addEventListener('change', () => set(Number(select.value)));
    label.appendChild(select);
    return label;
  }

  private _legend(slice: ISlice): HTMLElement {
    const trans = this._trans;
    const legend = document.createElement('div');
    legend.className = `${CLASS}-legend`;
    const swatch = (rgb: number[], label: string) => {
      const item = text('span', `${CLASS}-legendItem`, label);
      const box = document.createElement('span');
      box.className = `${CLASS}-swatch`;
      box.style.background = `rgb(${rgb.join(',')})`;
      item.prepend(box);
      return item;
    };
    legend.append(
      text(
        'span',
        `${CLASS}-range`,
        slice.min === null ? trans.__('no finite values') : trans.__('%1 … %2', formatValue(slice.min), formatValue(slice.max ?? slice.min))
      ),
      swatch(NAN_COLOR, trans.__('%1 NaN', slice.nan)),
      swatch(POS_INF_COLOR, trans.__('+Inf')),
      swatch(NEG_INF_COLOR, trans.__('-Inf')),
      text('span', `${CLASS}-inf`, trans.__('%1 Inf in this slice', slice.inf))
    );
    legend.classList.toggle(`${CLASS}-legend-bad`, slice.nan + slice.inf > 0);
    return legend;
  }

  private _histogram(histogram: IHistogram): HTMLElement {
    const trans = this._trans;
    const box = document.createElement('div');
    box.className = `${CLASS}-histogram`;
    const top = Math.max(1, ...histogram.counts);
    const bars = document.createElement('div');
    bars.className = `${CLASS}-bars`;
    histogram.counts.forEach((count, i) => {
      const bar = document.createElement('div');
      bar.className = `${CLASS}-bar`;
      bar.style.height = `${(count / top) * 100}%`;
      bar.title = `[${formatValue(histogram.edges[i])}, ${formatValue(histogram.edges[i + 1])}): ${count}`;
      bars.appendChild(bar);
    });
    box.append(
      text(
        'div',
        `${CLASS}-histogramTitle`,
        trans.__('Histogram of all %1 values on %2', histogram.numel, histogram.device) +
          (histogram.exact ? '' : ' ' + trans.__('(estimated from a sample)')) +
          (histogram.nan || histogram.inf ? ' · ' + trans.__('%1 NaN, %2 Inf left out', histogram.nan, histogram.inf) : '')
      ),
      bars
    );
    return box;
  }

  private _table(table: ITable): HTMLElement[] {
    const trans = this._trans;
    const stats = grid(
      `${CLASS}-columns`,
      [trans.__('column'), trans.__('dtype'), trans.__('missing'), trans.__('unique'), trans.__('mean'), trans.__('std'), trans.__('min'), trans.__('max')],
      table.columns.map(c => [
        c.name,
        c.dtype,
        String(c.missing),
        c.unique === null ? '' : String(c.unique),
        c.mean === null ? '' : formatValue(c.mean),
        c.std === null ? '' : formatValue(c.std),
        c.min ?? '',
        c.max ?? ''
      ])
    );
    const names = ['', ...table.columns.map(c => c.name)];
    const rows = (index: string[], cells: string[][]) => cells.map((r, i) => [index[i] ?? '', ...r]);
    return [
      text('div', `${CLASS}-facts`, trans.__('%1 rows × %2 columns', table.shape[0], table.shape[1])),
      stats,
      text('div', `${CLASS}-heading`, trans.__('head')),
      grid(`${CLASS}-head`, names, rows(table.headIndex, table.head)),
      text('div', `${CLASS}-heading`, trans.__('tail')),
      grid(`${CLASS}-tail`, names, rows(table.tailIndex, table.tail))
    ];
  }

  private _onMove = (event: MouseEvent): void => {
    const slice = this.model.slice;
    if (!slice) {
      return;
    }
    const box = this._canvas.getBoundingClientRect();
    const cell = cellAt(slice, event.clientX - box.left, event.clientY - box.top, box.width, box.height);
    this._readout.textContent = cell
      ? `${formatShape(cell.index)} = ${formatValue(cell.value)}`
      : this._trans.__('Point at a cell to read its value.');
  };

  private _trans: TranslationBundle;
  private _canvas = document.createElement('canvas');
  private _readout = document.createElement('div');
}

export namespace TensorViewer {
  export interface IOptions {
    model: ViewerModel;
    translator?: ITranslator;
  }
}
