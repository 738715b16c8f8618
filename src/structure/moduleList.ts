/**
 * The module tree of a model as a virtualised list: only the rows in view
 * (and a few around them) are in the page, so a 10,000-module model scrolls
 * as lightly as a small one.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { IModuleNode } from '../kernel/structureProtocol';
import type { StructureModel } from './model';
import type { IVisibleModule } from './tree';
import { formatCount, formatShape } from './tree';

const CLASS = 'jp-MLDebuggerStructure';

/** Height of one row in pixels; rows are laid out by index times this. */
export const ROW_HEIGHT = 24;

/** Rows rendered above and below the visible ones. */
const OVERSCAN = 20;

/**
 * The virtualised module rows of a Type Structure model.
 */
export class ModuleList extends Widget {
  constructor(options: ModuleList.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this.addClass(`${CLASS}-modules`);
    this.node.setAttribute('role', 'tree');
    this.node.setAttribute('aria-label', this._trans.__('Modules'));
    this._spacer.className = `${CLASS}-spacer`;
    this.node.appendChild(this._spacer);
    this.node.addEventListener('scroll', () => this.renderWindow());
    this.node.addEventListener('click', this._onClick);
  }

  /** Lay the spacer out for every row and render the rows in view. */
  renderWindow(): void {
    const rows = this._model.rows;
    this._spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    const height = this.node.clientHeight || ROW_HEIGHT * 20;
    const first = Math.max(0, Math.floor(this.node.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((this.node.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    this._spacer.replaceChildren(
      ...rows.slice(first, last).map((row, i) => this._renderRow(row, first + i))
    );
  }

  /** Scroll so that a module's row is in view. */
  reveal(path: string): void {
    const index = this._model.rows.findIndex(r => r.node.path === path);
    if (index >= 0) {
      this.node.scrollTop = Math.max(0, index * ROW_HEIGHT - this.node.clientHeight / 2);
      this.renderWindow();
    }
  }

  private _renderRow(row: IVisibleModule, index: number): HTMLElement {
    const { node } = row;
    const el = document.createElement('div');
    el.className = `${CLASS}-module`;
    el.classList.toggle(`${CLASS}-module-match`, row.match);
    el.style.top = `${index * ROW_HEIGHT}px`;
    el.style.paddingLeft = `${node.depth * 12 + 4}px`;
    el.dataset.path = node.path;
    el.setAttribute('role', 'treeitem');
    el.setAttribute('aria-level', String(node.depth + 1));
    if (row.hasChildren) {
      el.setAttribute('aria-expanded', String(row.expanded));
    }
    const twisty = document.createElement(row.hasChildren ? 'button' : 'span');
    twisty.className = `${CLASS}-twisty`;
    if (row.hasChildren) {
      twisty.textContent = row.expanded ? '▾' : '▸';
      twisty.setAttribute(
        'aria-label',
        row.expanded ? this._trans.__('Collapse') : this._trans.__('Expand')
      );
    }
    const name = span(`${CLASS}-moduleName`, node.path.split('.').pop() || this._trans.__('(model)'));
    name.title = node.path || this._trans.__('the model itself');
    el.append(twisty, name, span(`${CLASS}-moduleClass`, node.cls));
    el.append(...this._facts(node));
    el.title = this._tooltip(node);
    return el;
  }

  private _facts(node: IModuleNode): HTMLElement[] {
    const trans = this._trans;
    const facts: HTMLElement[] = [];
    if (node.shared !== null) {
      facts.push(span(`${CLASS}-badge`, trans.__('same as %1', node.shared || trans.__('(model)'))));
      return facts;
    }
    if (node.params.length) {
      const shapes = node.params.map(([n, shape]) => `${n} ${formatShape(shape)}`).join(', ');
      facts.push(span(`${CLASS}-shapes`, shapes));
    }
    // %1 is the count itself (for the plural rule), %2 the same count with separators.
    facts.push(
      span(`${CLASS}-count`, trans._n('%2 param', '%2 params', node.total, formatCount(node.total)))
    );
    if (node.device && node.device !== 'cpu') {
      facts.push(span(`${CLASS}-badge`, node.device));
    }
    if (!node.training) {
      facts.push(span(`${CLASS}-badge`, trans.__('eval')));
    }
    if (node.hooks) {
      const hooks = Object.values(node.hooks).reduce((a, b) => a + b, 0);
      facts.push(span(`${CLASS}-badge`, trans._n('%1 hook', '%1 hooks', hooks)));
    }
    if (node.io) {
      const shapes = (list: (number[] | string)[]) => list.map(formatShape).join(', ');
      facts.push(span(`${CLASS}-io`, `${shapes(node.io.in)} → ${shapes(node.io.out)}`));
    }
    return facts;
  }

  private _tooltip(node: IModuleNode): string {
    const trans = this._trans;
    const lines = [`${node.path || trans.__('(model)')}: ${node.cls}`];
    for (const [n, shape, dtype] of node.params) {
      lines.push(trans.__('parameter %1 %2 %3', n, formatShape(shape), dtype));
    }
    for (const [n, shape, dtype] of node.buffers) {
      lines.push(trans.__('buffer %1 %2 %3', n, formatShape(shape), dtype));
    }
    lines.push(
      trans.__(
        '%1 parameters (%2 trainable), %3 in its own tensors',
        formatCount(node.total),
        formatCount(node.trainable),
        formatCount(node.own)
      )
    );
    if (node.device) {
      lines.push(trans.__('device %1', node.device));
    }
    lines.push(node.training ? trans.__('training mode') : trans.__('eval mode'));
    for (const [kind, count] of Object.entries(node.hooks ?? {})) {
      lines.push(trans.__('%1 %2 hook(s)', count, kind));
    }
    if (node.io) {
      lines.push(
        trans.__(
          'last forward pass: in %1, out %2',
          node.io.in.map(formatShape).join(', '),
          node.io.out.map(formatShape).join(', ')
        )
      );
    }
    return lines.join('\n');
  }

  private _onClick = (event: MouseEvent): void => {
    const target = event.target as HTMLElement;
    const row = target.closest(`.${CLASS}-module`) as HTMLElement | null;
    if (row && target.closest(`.${CLASS}-twisty`) && row.dataset.path !== undefined) {
      this._model.toggle(row.dataset.path);
    }
  };

  private _model: StructureModel;
  private _trans: TranslationBundle;
  private _spacer = document.createElement('div');
}

export namespace ModuleList {
  export interface IOptions {
    model: StructureModel;
    trans: TranslationBundle;
  }
}

function span(className: string, text: string): HTMLElement {
  const node = document.createElement('span');
  node.className = className;
  node.textContent = text;
  return node;
}
