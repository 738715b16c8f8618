/**
 * One numeric trace column over hits, as an SVG line chart with axes, for
 * the main area. Redrawn as rows arrive.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type { IChart } from './chart';
import { layoutChart } from './chart';
import type { TraceModel } from './model';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A line chart of one recorded expression of one kernel's trace.
 */
export class TracePlot extends Widget {
  constructor(options: TracePlot.IOptions) {
    super();
    this.addClass('jp-MLDebuggerTrace-plotView');
    this._model = options.model;
    this._column = options.column;
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_ml_debugger'
    );
    this.node.dataset.column = options.column;
    this._model.changed.connect(this.update, this);
    this._model.disposed.connect(this._onModelDisposed, this);
    this.update();
  }

  /** The recorded expression drawn. */
  get column(): string {
    return this._column;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.changed.disconnect(this.update, this);
    this._model.disposed.disconnect(this._onModelDisposed, this);
    super.dispose();
  }

  protected onUpdateRequest(msg: Message): void {
    const values = this._model.series(this._column);
    const hits = this._model.rows.map(row => row.hit);
    this.node.replaceChildren(this._svg(layoutChart(values, hits)));
  }

  private _onModelDisposed(): void {
    const note = document.createElement('div');
    note.className = 'jp-MLDebuggerTrace-plotNote';
    note.textContent = this._trans.__(
      'The kernel of this trace is gone; the plot no longer updates.'
    );
    this.node.appendChild(note);
  }

  private _svg(chart: IChart): SVGSVGElement {
    const { box } = chart;
    const svg = svgEl('svg', 'jp-MLDebuggerTrace-chart') as SVGSVGElement;
    svg.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
    svg.setAttribute('role', 'img');
    const title = this._trans.__('%1 over hits', this._column);
    svg.setAttribute('aria-label', title);
    const titleNode = svgEl('title', '');
    titleNode.textContent = title;
    svg.appendChild(titleNode);

    const bottom = box.height - box.bottom;
    const right = box.width - box.right;
    svg.appendChild(line('jp-MLDebuggerTrace-axis', box.left, bottom, right, bottom));
    svg.appendChild(line('jp-MLDebuggerTrace-axis', box.left, box.top, box.left, bottom));
    for (const tick of chart.xTicks) {
      svg.appendChild(line('jp-MLDebuggerTrace-tick', tick.at, bottom, tick.at, bottom + 4));
      svg.appendChild(text('jp-MLDebuggerTrace-tickLabel', tick.label, tick.at, bottom + 16, 'middle'));
    }
    for (const tick of chart.yTicks) {
      svg.appendChild(line('jp-MLDebuggerTrace-grid', box.left, tick.at, right, tick.at));
      svg.appendChild(text('jp-MLDebuggerTrace-tickLabel', tick.label, box.left - 6, tick.at + 4, 'end'));
    }
    svg.appendChild(
      text('jp-MLDebuggerTrace-axisLabel', this._trans.__('hit'), (box.left + right) / 2, box.height - 6, 'middle')
    );
    const yLabel = text('jp-MLDebuggerTrace-axisLabel', this._column, 12, (box.top + bottom) / 2, 'middle');
    yLabel.setAttribute('transform', `rotate(-90 12 ${(box.top + bottom) / 2})`);
    svg.appendChild(yLabel);

    if (chart.line) {
      const path = svgEl('path', 'jp-MLDebuggerTrace-line');
      path.setAttribute('d', chart.line.path);
      path.setAttribute('fill', 'none');
      svg.appendChild(path);
    } else {
      svg.appendChild(
        text('jp-MLDebuggerTrace-tickLabel', this._trans.__('No numbers recorded yet'), (box.left + right) / 2, (box.top + bottom) / 2, 'middle')
      );
    }
    return svg;
  }

  private _model: TraceModel;
  private _column: string;
  private _trans: TranslationBundle;
}

export namespace TracePlot {
  export interface IOptions {
    model: TraceModel;
    column: string;
    translator?: ITranslator;
  }
}

function svgEl(tag: string, className: string): SVGElement {
  const node = document.createElementNS(SVG_NS, tag);
  if (className) {
    node.setAttribute('class', className);
  }
  return node;
}

function line(className: string, x1: number, y1: number, x2: number, y2: number): SVGElement {
  const node = svgEl('line', className);
  node.setAttribute('x1', String(x1));
  node.setAttribute('y1', String(y1));
  node.setAttribute('x2', String(x2));
  node.setAttribute('y2', String(y2));
  return node;
}

function text(className: string, content: string, x: number, y: number, anchor: string): SVGElement {
  const node = svgEl('text', className);
  node.setAttribute('x', String(x));
  node.setAttribute('y', String(y));
  node.setAttribute('text-anchor', anchor);
  node.textContent = content;
  return node;
}
