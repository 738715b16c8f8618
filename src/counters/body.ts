/**
 * The body of the Counters section: leak flags and what grows first, then a
 * row per counter with its value now and a sparkline of its history, then
 * the CPU each thread used. Values are text, never HTML.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { textNode, textTable } from '../dom/text';
import type { ICounter, ILeakFlag, IThreadCpu } from '../kernel/liveProtocol';
import { createSparkline } from '../sparkline/widget';
import {
  formatCount,
  formatCounter,
  formatDelta,
  formatDuration,
  formatShare,
  sparklinePoints
} from './format';
import type { CountersModel } from './model';

const CLASS = 'jp-MLDebuggerCounters';

/** The box of a counter's sparkline: wider than a table cell's default. */
const SPARK_BOX = { width: 96, height: 16, pad: 1.5 };

/**
 * Renders a CountersModel.
 */
export class CountersBody extends Widget {
  constructor(options: CountersBody.IOptions) {
    super();
    this._model = options.model;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this.addClass(`${CLASS}-body`);
    this._model.changed.connect(this._render, this);
    this._render();
  }

  dispose(): void {
    this._model.changed.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const model = this._model;
    const trans = this._trans;
    const nodes: HTMLElement[] = [];
    if (model.message) {
      const error = model.status === 'error';
      nodes.push(textNode('div', `${CLASS}-message ${error ? `${CLASS}-message-error` : `${CLASS}-notice`}`, model.message));
    }
    const sample = model.sample;
    if (model.status === 'empty') {
      nodes.push(
        this._note(
          trans.__('Counters are sampled while a cell runs and after each cell; refresh to take a sample now.')
        )
      );
    } else if (model.status === 'loading') {
      nodes.push(this._note(trans.__('Taking a sample of the counters…')));
    } else if (sample) {
      nodes.push(
        this._note(
          model.sampling
            ? trans._n('%1 sample; sampling while the cell runs.', '%1 samples; sampling while the cell runs.', sample.samples)
            : trans._n('%1 sample.', '%1 samples.', sample.samples)
        ),
        ...sample.flags.map(flag => this._flag(flag)),
        this._counters(sample.counters),
        ...this._cpu(sample.cpu)
      );
    }
    this.node.replaceChildren(...nodes);
    this.node.setAttribute('aria-busy', String(model.status === 'loading'));
  }

  /** A leak flag with its message, and what grows: types and the user's containers. */
  private _flag(flag: ILeakFlag): HTMLElement {
    const trans = this._trans;
    const node = textNode('div', `${CLASS}-flag`, '');
    node.dataset.kind = flag.kind;
    node.appendChild(textNode('div', `${CLASS}-flagMessage`, flag.message));
    if (flag.types.length) {
      node.appendChild(textNode('div', `${CLASS}-heading`, trans.__('What grows, by type')));
      node.appendChild(
        textTable(
          `${CLASS}-types`,
          [trans.__('type'), trans.__('count'), trans.__('growth'), trans.__('where from')],
          flag.types.map(t => [t.type, formatCount(t.count), formatDelta(t.delta), t.where ?? '—'])
        )
      );
    }
    // A container's own flag names it in its message already.
    if (flag.containers.length && flag.kind !== 'container-leak') {
      node.appendChild(textNode('div', `${CLASS}-heading`, trans.__('What grows, by container')));
      node.appendChild(
        textTable(
          `${CLASS}-containers`,
          [trans.__('container'), trans.__('length'), trans.__('growth')],
          flag.containers.map(c => [c.path, formatCount(c.length), formatDelta(c.delta)])
        )
      );
    }
    if (flag.cut) {
      node.appendChild(this._note(trans.__('The search for what grows was cut short: %1', flag.cut)));
    }
    return node;
  }

  private _counters(counters: ICounter[]): HTMLElement {
    const trans = this._trans;
    const list = document.createElement('div');
    list.className = `${CLASS}-list`;
    list.setAttribute('role', 'list');
    for (const counter of counters) {
      const row = document.createElement('div');
      row.className = `${CLASS}-row`;
      row.dataset.counter = counter.id;
      row.setAttribute('role', 'listitem');
      row.append(
        textNode('span', `${CLASS}-label`, counter.label),
        textNode('span', `${CLASS}-value`, formatCounter(counter.value, counter.unit))
      );
      const trend = document.createElement('span');
      trend.className = `${CLASS}-trend`;
      if (counter.history.length > 1) {
        // The SVG is made from numbers only.
        trend.appendChild(
          createSparkline(
            sparklinePoints(counter.history),
            trans.__('%1 over the last %2 samples', counter.label, counter.history.length),
            SPARK_BOX
          )
        );
      }
      row.appendChild(trend);
      if (counter.note) {
        row.appendChild(textNode('div', `${CLASS}-note`, counter.note));
      }
      list.appendChild(row);
    }
    return list;
  }

  private _cpu(cpu: IThreadCpu[]): HTMLElement[] {
    const trans = this._trans;
    if (!cpu.length) {
      return [];
    }
    return [
      textNode('div', `${CLASS}-heading`, trans.__('CPU by thread')),
      textTable(
        `${CLASS}-cpu`,
        [trans.__('thread'), trans.__('CPU time'), trans.__('share of a core')],
        cpu.map(t => [t.name, formatDuration(t.cpuMs), formatShare(t.share)])
      )
    ];
  }

  private _note(text: string): HTMLElement {
    return textNode('div', `${CLASS}-message`, text);
  }

  private _model: CountersModel;
  private _trans: TranslationBundle;
}

export namespace CountersBody {
  export interface IOptions {
    model: CountersModel;
    translator?: ITranslator;
  }
}
