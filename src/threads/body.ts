/**
 * The body of the Threads section: where the sample comes from, the kernel
 * not answering, deadlocks drawn as chains, the spiking thread, then every
 * thread that passes the model's filter, with its frames; ipykernel's,
 * debugpy's and the probe's own threads folded under one line. Values are
 * text, never HTML.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { textNode } from '../dom/text';
import type { IThreads } from '../kernel/liveProtocol';
import { fold, formatShare, renderThread } from './frames';
import type { ThreadsModel } from './model';
import { renderDeadlock } from './waitChain';

const CLASS = 'jp-MLDebuggerThreads';

/**
 * Renders a ThreadsModel, keeping the folds the user opened or closed.
 */
export class ThreadsBody extends Widget {
  constructor(options: ThreadsBody.IOptions) {
    super();
    this._model = options.model;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this.addClass(`${CLASS}-body`);
    this._model.changed.connect(this._render, this);
    // `toggle` does not bubble: catch it on the way down.
    this.node.addEventListener('toggle', this._onToggle, true);
    this._render();
  }

  dispose(): void {
    this._model.changed.disconnect(this._render, this);
    this.node.removeEventListener('toggle', this._onToggle, true);
    super.dispose();
  }

  private _render(): void {
    const model = this._model;
    const nodes: HTMLElement[] = [];
    if (model.stalledSeconds !== null) {
      const waiting = textNode('div', `${CLASS}-stalled`, this._stalledText(model.stalledSeconds));
      waiting.setAttribute('role', 'status');
      nodes.push(waiting);
    }
    if (model.error) {
      nodes.push(this._note(model.error, `${CLASS}-message-error`));
    }
    const sample = model.sample;
    if (sample) {
      nodes.push(this._where(model), ...this._sample(sample));
    } else if (!model.error && model.stalledSeconds === null) {
      nodes.push(this._note(this._emptyText(model)));
    }
    this.node.replaceChildren(...nodes);
    this.node.setAttribute('aria-busy', String(model.loading));
  }

  private _emptyText(model: ThreadsModel): string {
    const trans = this._trans;
    if (model.loading) {
      return trans.__('Reading the threads…');
    }
    switch (model.mode) {
      case 'none':
        return trans.__('Open a notebook with a running kernel to see its threads.');
      case 'live':
        return trans.__('A cell is running; its threads show in a moment.');
      default:
        return trans.__('Run a cell to see its threads; refresh to read them now.');
    }
  }

  private _stalledText(seconds: number): string {
    return this._trans.__(
      'The kernel has not answered for %1 s: a C call may be holding the GIL. The view recovers when it returns.',
      seconds
    );
  }

  private _where(model: ThreadsModel): HTMLElement {
    const trans = this._trans;
    const time = new Date(model.sampledAt ?? Date.now()).toLocaleTimeString();
    switch (model.mode) {
      case 'live':
        return this._note(trans.__('Live: the running cell’s threads at %1.', time), `${CLASS}-where`);
      case 'stopped':
        return this._note(trans.__('At the stop: the threads at %1.', time), `${CLASS}-where`);
      default:
        return this._note(trans.__('No cell is running; the stacks are from %1.', time), `${CLASS}-where`);
    }
  }

  private _sample(sample: IThreads): HTMLElement[] {
    const trans = this._trans;
    const out = sample.deadlocks.map(d => renderDeadlock(d, sample.threads, trans));
    const spiking = sample.spiking;
    if (spiking) {
      out.push(
        textNode(
          'div',
          `${CLASS}-spiking`,
          trans.__('Spiking thread: %1 uses %2 of a core', spiking.name, formatShare(spiking.share))
        )
      );
    }
    if (sample.threads.length < sample.total) {
      out.push(this._note(trans.__('%1 of %2 threads shown.', sample.threads.length, sample.total)));
    }
    if (sample.cut) {
      out.push(this._note(trans.__('Cut short: %1', sample.cut)));
    }
    const isOpen = (key: string, fallback: boolean) => this._open.get(key) ?? fallback;
    const render = (thread: IThreads['threads'][number]) =>
      renderThread(thread, { spiking: thread.id === spiking?.id, isOpen, trans });
    const shown = this._model.shownThreads;
    if (!shown.length && sample.threads.length) {
      out.push(this._note(trans.__('No thread matches the filter.'), `${CLASS}-noMatch`));
      return out;
    }
    const own = shown.filter(t => t.kind === 'main' || t.kind === 'user');
    const others = shown.filter(t => t.kind !== 'main' && t.kind !== 'user');
    const list = document.createElement('div');
    list.className = `${CLASS}-list`;
    list.append(...own.map(render));
    if (others.length) {
      const key = 'kernel-threads';
      list.appendChild(
        fold(
          `${CLASS}-kernelThreads`,
          key,
          isOpen(key, false),
          [textNode('span', `${CLASS}-name`, trans.__('kernel threads (%1)', others.length))],
          others.map(render)
        )
      );
    }
    out.push(list);
    return out;
  }

  private _note(text: string, extra?: string): HTMLElement {
    const node = textNode('div', `${CLASS}-message`, text);
    if (extra) {
      node.classList.add(extra);
    }
    return node;
  }

  private _onToggle = (event: Event): void => {
    const target = event.target;
    if (target instanceof HTMLDetailsElement && target.dataset.key) {
      this._open.set(target.dataset.key, target.open);
    }
  };

  private _model: ThreadsModel;
  private _trans: TranslationBundle;
  private _open = new Map<string, boolean>();
}

export namespace ThreadsBody {
  export interface IOptions {
    model: ThreadsModel;
    translator?: ITranslator;
  }
}
