/**
 * The body of the Modules section: flags first, the requirements check,
 * then a name filter over the loaded top-level modules with their version,
 * origin and path. Values are text, never HTML.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { textNode, textTable } from '../dom/text';
import type { IModules } from '../kernel/liveProtocol';
import type { ModulesModel } from './model';

const CLASS = 'jp-MLDebuggerModules';

/** The last `parts` segments of a path, so the column stays narrow; the title holds it all. */
export function shortPath(path: string, parts = 3): string {
  const segments = path.split(/[\\/]/);
  return segments.length > parts + 1 ? `…/${segments.slice(-parts).join('/')}` : path;
}

/**
 * Renders a ModulesModel. The filter input is built once, so typing in it
 * keeps focus while the list below is redrawn.
 */
export class ModulesBody extends Widget {
  constructor(options: ModulesBody.IOptions) {
    super();
    this._model = options.model;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this.addClass(`${CLASS}-body`);
    this._filter = document.createElement('input');
    this._filter.type = 'search';
    this._filter.className = `${CLASS}-filter jp-mod-styled`;
    this._filter.placeholder = this._trans.__('Filter by name');
    this._filter.setAttribute('aria-label', this._trans.__('Filter loaded modules by name'));
    this._filter.addEventListener('input', this._onInput);
    this._head = document.createElement('div');
    this._head.className = `${CLASS}-head`;
    this._content = document.createElement('div');
    this._content.className = `${CLASS}-content`;
    this.node.append(this._head, this._filter, this._content);
    this._model.changed.connect(this._render, this);
    this._render();
  }

  dispose(): void {
    this._model.changed.disconnect(this._render, this);
    this._filter.removeEventListener('input', this._onInput);
    super.dispose();
  }

  private _render(): void {
    const model = this._model;
    const trans = this._trans;
    const result = model.status === 'ready' ? model.result : null;
    const nodes: HTMLElement[] = [];
    if (this._filter.value !== model.filter) {
      this._filter.value = model.filter;
    }
    this._filter.hidden = !result;
    if (model.status === 'error') {
      nodes.push(this._note(model.message, `${CLASS}-message-error`));
    } else if (model.status === 'loading') {
      nodes.push(this._note(trans.__('Reading the loaded modules…')));
    } else if (!result) {
      nodes.push(
        this._note(
          model.message ||
            trans.__(
              'The loaded modules are listed when this section is shown and after each cell; press Refresh to read them now.'
            )
        )
      );
    } else {
      nodes.push(...this._list(result));
    }
    // Flags and the requirements check sit above the filter: they are the reason to look.
    this._head.replaceChildren(
      ...(result ? [...model.flags.map(f => this._flag(f.kind, f.message)), ...this._requirements(result)] : [])
    );
    this._content.replaceChildren(...nodes);
    this.node.setAttribute('aria-busy', String(model.status === 'loading'));
  }

  private _flag(kind: string, message: string): HTMLElement {
    const node = textNode('div', `${CLASS}-flag`, message);
    node.dataset.kind = kind;
    return node;
  }

  private _requirements(result: IModules): HTMLElement[] {
    const trans = this._trans;
    const requirements = result.requirements;
    if (!requirements) {
      return [];
    }
    return [
      requirements.error
        ? this._note(requirements.error, `${CLASS}-message-error`)
        : textNode(
            'div',
            `${CLASS}-requirements`,
            trans._n(
              'Checked %1 requirement in %2',
              'Checked %1 requirements in %2',
              requirements.checked,
              requirements.path
            )
          )
    ];
  }

  private _list(result: IModules): HTMLElement[] {
    const trans = this._trans;
    const visible = this._model.visible;
    const out = [
      textNode('div', `${CLASS}-count`, trans.__('%1 of %2 modules', visible.length, result.total))
    ];
    if (result.truncated) {
      out.push(
        this._note(
          trans.__('The kernel sent %1 of its %2 loaded modules; the rest were left out.', result.modules.length, result.total)
        )
      );
    }
    if (!visible.length) {
      if (this._model.filter.trim()) {
        out.push(this._note(trans.__('No loaded module name contains "%1".', this._model.filter.trim())));
      }
      return out;
    }
    const table = textTable(
      `${CLASS}-list`,
      [trans.__('name'), trans.__('version'), trans.__('origin'), trans.__('path')],
      visible.map(m => [m.name, m.version ?? '', m.origin, m.path ? shortPath(m.path) : ''])
    );
    const rows = table.querySelectorAll('tbody tr');
    visible.forEach((m, i) => {
      const cell = rows[i]?.children[3] as HTMLElement | undefined;
      if (cell && m.path) {
        cell.title = m.path;
      }
    });
    out.push(table);
    return out;
  }

  private _note(text: string, extra?: string): HTMLElement {
    const node = textNode('div', `${CLASS}-message`, text);
    if (extra) {
      node.classList.add(extra);
    }
    return node;
  }

  private _onInput = (): void => {
    this._model.filter = this._filter.value;
  };

  private _model: ModulesModel;
  private _trans: TranslationBundle;
  private _filter: HTMLInputElement;
  private _head: HTMLDivElement;
  private _content: HTMLDivElement;
}

export namespace ModulesBody {
  export interface IOptions {
    model: ModulesModel;
    translator?: ITranslator;
  }
}
