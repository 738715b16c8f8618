/**
 * The body of the Type Structure section: what the value is (class, bases,
 * fields, attributes, container shape) and, for a model, its module tree
 * with a search by path. Values are text, never HTML.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import { Panel, Widget } from '@lumino/widgets';
import type { IObjectStructure, IStructure } from '../kernel/structureProtocol';
import type { StructureModel } from './model';
import { ModuleList } from './moduleList';
import { formatCount } from './tree';
import { textNode, textTable as table } from '../dom/text';

const CLASS = 'jp-MLDebuggerStructure';

/**
 * Renders a StructureModel.
 */
export class StructureBody extends Panel {
  constructor(options: StructureBody.IOptions) {
    super();
    this._model = options.model;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this.addClass(`${CLASS}-body`);
    this._details.addClass(`${CLASS}-details`);
    this._search.className = `${CLASS}-search jp-mod-styled`;
    this._search.type = 'search';
    this._search.placeholder = this._trans.__('Search modules by path or class');
    this._search.setAttribute('aria-label', this._trans.__('Search modules'));
    this._search.addEventListener('input', () => {
      this._model.query = this._search.value;
    });
    this._searchBox.node.appendChild(this._search);
    this._searchBox.addClass(`${CLASS}-searchBox`);
    this._list = new ModuleList({ model: this._model, trans: this._trans });
    this.addWidget(this._details);
    this.addWidget(this._searchBox);
    this.addWidget(this._list);
    this._model.changed.connect(this._render, this);
    this._render();
  }

  dispose(): void {
    this._model.changed.disconnect(this._render, this);
    super.dispose();
  }

  protected onAfterShow(): void {
    this._list.renderWindow();
  }

  private _render(): void {
    const model = this._model;
    const trans = this._trans;
    const structure = model.structure;
    const nodes: HTMLElement[] = [];
    if (model.status === 'empty') {
      nodes.push(
        note(
          trans.__(
            'Right-click a row of Variable Values, a watch, or a variable of the Variables panel and choose "Show Type Structure".'
          )
        )
      );
    } else if (model.status === 'loading' && !structure) {
      nodes.push(note(trans.__('Reading the structure of %1…', model.subject?.label ?? '')));
    } else if (model.status === 'error') {
      nodes.push(note(model.message, `${CLASS}-message-error`));
    }
    if (structure && model.status !== 'error') {
      nodes.push(...this._describe(structure));
    }
    this._details.node.replaceChildren(...nodes);
    // Commands on a module row (Watch for NaN/Inf) read the model shown from here.
    if (model.subject) {
      this.node.dataset.subject = JSON.stringify(model.subject);
    } else {
      delete this.node.dataset.subject;
    }
    this._details.node.setAttribute('aria-busy', String(model.status === 'loading'));
    const hasModules = model.status !== 'error' && !!structure?.modules;
    this._searchBox.setHidden(!hasModules);
    this._list.setHidden(!hasModules);
    if (this._search.value !== model.query) {
      this._search.value = model.query;
    }
    if (hasModules) {
      this._list.renderWindow();
    }
  }

  private _describe(structure: IStructure): HTMLElement[] {
    const trans = this._trans;
    const object = structure.object;
    const out: HTMLElement[] = [];
    const title = line(`${CLASS}-title`, `${this._model.subject?.label ?? ''}: ${structure.type}`);
    title.title = trans.__('read in %1', this._model.where);
    out.push(title, line(`${CLASS}-summary`, structure.summary));
    if (structure.cut) {
      out.push(note(trans.__('Walk cut short: %1', structure.cut), `${CLASS}-message-cut`));
    }
    const tree = structure.modules;
    if (tree) {
      out.push(
        line(
          `${CLASS}-totals`,
          trans.__(
            '%1 modules, %2 parameters (%3 trainable) in %4 tensors',
            formatCount(tree.modules.length),
            formatCount(tree.params),
            formatCount(tree.trainable),
            formatCount(tree.paramTensors)
          ) +
            (tree.shared ? trans.__('; %1 shared modules', tree.shared) : '') +
            (tree.recording ? trans.__('; recording forward shapes') : '')
        )
      );
    }
    out.push(...this._object(object));
    return out;
  }

  private _object(object: IObjectStructure): HTMLElement[] {
    const trans = this._trans;
    const out: HTMLElement[] = [];
    const qualified = object.className.startsWith(`${object.module}.`)
      ? object.className
      : `${object.module}.${object.className}`;
    const facts: [string, string][] = [[trans.__('class'), qualified]];
    if (object.mro.length > 1) {
      facts.push([trans.__('bases'), object.mro.slice(1).join(' → ')]);
    }
    if (object.metaclass) {
      facts.push([trans.__('metaclass'), object.metaclass]);
    }
    if (object.shape) {
      facts.push([trans.__('shape'), object.shape]);
    }
    if (object.properties.length) {
      facts.push([trans.__('properties (not evaluated)'), object.properties.join(', ')]);
    }
    facts.push([trans.__('methods'), String(object.methods)]);
    out.push(table(`${CLASS}-facts`, [], facts.map(([k, v]) => [k, v])));
    if (object.fields.length) {
      out.push(line(`${CLASS}-heading`, trans.__('%1 fields', object.flavor ?? '')));
      out.push(
        table(
          `${CLASS}-fields`,
          [trans.__('name'), trans.__('declared'), trans.__('actual'), trans.__('value')],
          object.fields.map(f => [f.name, f.declared ?? '', f.actual ?? '', f.summary])
        )
      );
    }
    // A model's private attributes are nn.Module's own bookkeeping, which the
    // module tree already shows: list the user's attributes and count the rest.
    const isModel = !!this._model.structure?.modules;
    const attributes = isModel
      ? object.attributes.filter(a => !a.name.startsWith('_'))
      : object.attributes;
    const hidden = object.attributes.length - attributes.length;
    if (attributes.length || hidden) {
      out.push(line(`${CLASS}-heading`, trans.__('instance attributes')));
      out.push(
        table(
          `${CLASS}-attributes`,
          [trans.__('name'), trans.__('type'), trans.__('value')],
          attributes.map(a => [a.name, a.type, a.summary])
        )
      );
    }
    if (hidden) {
      out.push(
        note(trans._n('%1 private attribute of nn.Module not listed', '%1 private attributes of nn.Module not listed', hidden))
      );
    }
    if (object.slots.length) {
      out.push(line(`${CLASS}-heading`, trans.__('slots')));
      out.push(
        table(
          `${CLASS}-slots`,
          [trans.__('name'), trans.__('type')],
          object.slots.map(s => [s.name, s.type ?? trans.__('(no value)')])
        )
      );
    }
    return out;
  }

  private _model: StructureModel;
  private _trans: TranslationBundle;
  private _details = new Widget();
  private _searchBox = new Widget();
  private _search = document.createElement('input');
  private _list: ModuleList;
}

export namespace StructureBody {
  export interface IOptions {
    model: StructureModel;
    translator?: ITranslator;
  }
}

function line(className: string, content: string): HTMLElement {
  return textNode('div', className, content);
}

function note(content: string, extra?: string): HTMLElement {
  const node = line(`${CLASS}-message`, content);
  if (extra) {
    node.classList.add(extra);
  }
  return node;
}
