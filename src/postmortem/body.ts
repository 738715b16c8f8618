/**
 * The body of the Exceptions section: the last exception's chain, each link
 * with its frames outermost first, library frames folded, and the values of
 * the frame the user opens. Values are text, never HTML.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { IChainLink, IThreadFrame } from '../kernel/liveProtocol';
import { textNode, textTable } from '../dom/text';
import { foldFrames } from '../stack/runs';
import { basename, frameKey, isCellPath, libraryKey } from './chain';
import type { PostmortemModel } from './model';

const CLASS = 'jp-MLDebuggerPostmortem';

/**
 * Renders a PostmortemModel; opening a frame or a folded run goes to the model.
 */
export class PostmortemBody extends Widget {
  constructor(options: PostmortemBody.IOptions) {
    super();
    this._model = options.model;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this.addClass(`${CLASS}-body`);
    this._model.changed.connect(this._render, this);
    this.node.addEventListener('click', this._onClick);
    this._render();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.node.removeEventListener('click', this._onClick);
    this._model.changed.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const model = this._model;
    const trans = this._trans;
    const nodes: HTMLElement[] = [];
    const error = model.error;
    if (model.status === 'none') {
      nodes.push(
        this._note(
          model.message ||
            trans.__('Open a notebook with a running kernel: the last exception of its kernel shows here.')
        )
      );
    } else if (model.status === 'empty' || (model.status === 'loading' && !error && model.hasResult)) {
      nodes.push(
        this._note(
          trans.__('No cell has failed in this kernel yet. When one does, its exception and frames appear here.')
        )
      );
    } else if (model.status === 'error') {
      nodes.push(this._note(model.message, `${CLASS}-message-error`));
    } else if (model.status === 'loading' && !error) {
      nodes.push(this._note(trans.__('Reading the last exception…')));
    }
    if (error && model.status !== 'none' && model.status !== 'empty') {
      if (model.stale) {
        nodes.push(
          this._note(
            trans.__('From an earlier cell: the cells run since did not raise. Its frames are as they were when it failed.'),
            `${CLASS}-stale`
          )
        );
      }
      nodes.push(this._chain(error.chain));
      if (error.truncated) {
        nodes.push(this._note(trans.__('The chain or its frames were cut short to keep the reply small.')));
      }
    }
    this.node.replaceChildren(...nodes);
    this.node.setAttribute('aria-busy', String(model.status === 'loading'));
  }

  private _chain(chain: readonly IChainLink[]): HTMLElement {
    const list = document.createElement('div');
    list.className = `${CLASS}-chain`;
    list.setAttribute('role', 'list');
    chain.forEach((link, index) => list.appendChild(this._link(link, index)));
    return list;
  }

  private _link(link: IChainLink, index: number): HTMLElement {
    const node = document.createElement('div');
    node.className = `${CLASS}-link ${CLASS}-${link.relation}`;
    node.setAttribute('role', 'listitem');
    node.style.setProperty('--jp-MLDebuggerPostmortem-depth', String(link.depth));
    const head = document.createElement('div');
    head.className = `${CLASS}-linkHead`;
    head.append(
      textNode('span', `${CLASS}-relation`, this._relation(link.relation)),
      textNode('span', `${CLASS}-type`, link.type),
      textNode('span', `${CLASS}-text`, exceptionMessage(link))
    );
    node.appendChild(head);
    if (!link.frames.length) {
      node.appendChild(this._note(this._trans.__('No frames: it was created but never raised.')));
      return node;
    }
    const frames = document.createElement('ol');
    frames.className = `${CLASS}-frames`;
    for (const run of foldFrames(link.frames)) {
      if (run.kind === 'user') {
        frames.appendChild(this._frame(run.frame, frameKey(index, run.index), true));
        continue;
      }
      const key = libraryKey(index, run.start);
      const open = this._model.isOpen(key);
      const item = document.createElement('li');
      item.className = `${CLASS}-library`;
      item.appendChild(
        this._toggle(key, open, this._trans._n('%1 library frame', '%1 library frames', run.frames.length))
      );
      if (open) {
        const inner = document.createElement('ol');
        inner.className = `${CLASS}-frames`;
        run.frames.forEach((frame, offset) =>
          inner.appendChild(this._frame(frame, frameKey(index, run.start + offset), false))
        );
        item.appendChild(inner);
      }
      frames.appendChild(item);
    }
    node.appendChild(frames);
    return node;
  }

  private _frame(frame: IThreadFrame, key: string, user: boolean): HTMLElement {
    const trans = this._trans;
    const item = document.createElement('li');
    item.className = `${CLASS}-frame`;
    if (user) {
      item.classList.add(`${CLASS}-user`);
    }
    const cell = this._model.cellOf(frame.path);
    const file =
      cell !== null
        ? trans.__('cell %1', cell)
        : isCellPath(frame.path)
          ? trans.__('cell')
          : basename(frame.path);
    const where = trans.__('%1, line %2', file, frame.line);
    const open = frame.rows.length > 0 && this._model.isOpen(key);
    const head = frame.rows.length
      ? this._toggle(key, open, '')
      : textNode('div', `${CLASS}-frameHead`, '');
    head.append(textNode('span', `${CLASS}-function`, frame.name), textNode('span', `${CLASS}-where`, where));
    head.title = frame.path;
    item.appendChild(head);
    if (frame.code) {
      item.appendChild(textNode('div', `${CLASS}-code`, frame.code));
    }
    if (open) {
      item.appendChild(
        textTable(
          `${CLASS}-rows`,
          [trans.__('name'), trans.__('value')],
          frame.rows.map(row => [row.name, row.summary])
        )
      );
    }
    return item;
  }

  private _relation(relation: IChainLink['relation']): string {
    const trans = this._trans;
    switch (relation) {
      case 'cause':
        return trans.__('caused by');
      case 'context':
        return trans.__('during handling of');
      case 'group':
        return trans.__('group member');
      default:
        return trans.__('raised');
    }
  }

  private _toggle(key: string, open: boolean, label: string): HTMLElement {
    const button = textNode('button', `${CLASS}-toggle ${CLASS}-frameHead`, label);
    button.dataset.key = key;
    button.setAttribute('aria-expanded', String(open));
    return button;
  }

  private _note(text: string, extra?: string): HTMLElement {
    const node = textNode('div', `${CLASS}-message`, text);
    if (extra) {
      node.classList.add(extra);
    }
    return node;
  }

  private _onClick = (event: MouseEvent): void => {
    const target = event.target instanceof Element ? event.target : null;
    const key = target?.closest<HTMLElement>(`.${CLASS}-toggle`)?.dataset.key;
    if (key) {
      this._model.toggle(key);
    }
  };

  private _model: PostmortemModel;
  private _trans: TranslationBundle;
}

/** The link's message without its type, which the link shows on its own. */
export function exceptionMessage(link: Pick<IChainLink, 'type' | 'text'>): string {
  const prefix = `${link.type}: `;
  if (link.text === link.type) {
    return '';
  }
  return link.text.startsWith(prefix) ? link.text.slice(prefix.length) : link.text;
}

export namespace PostmortemBody {
  export interface IOptions {
    model: PostmortemModel;
    translator?: ITranslator;
  }
}
