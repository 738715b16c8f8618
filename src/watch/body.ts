/**
 * The watch list: an input to add an expression, then one row per
 * expression with its one-line summary, a sparkline of its numbers over
 * refreshes and a remove button. Values are text only (textContent).
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { createSparkline } from '../sparkline/widget';
import type { WatchModel } from './model';

/**
 * The body of the Watch section.
 */
export class WatchBody extends Widget {
  constructor(options: WatchBody.IOptions) {
    super();
    this.addClass('jp-MLDebuggerWatch-body');
    this._model = options.model;
    this._commands = options.commands;
    this._commandIds = options.commandIds;
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_ml_debugger'
    );
    const trans = this._trans;

    const form = document.createElement('form');
    form.className = 'jp-MLDebuggerWatch-form';
    this._input = document.createElement('input');
    this._input.className = 'jp-MLDebuggerWatch-input jp-mod-styled';
    this._input.placeholder = trans.__('Add expression, e.g. loss.item() or images :: B 3 H W');
    this._input.setAttribute('aria-label', trans.__('Watch expression to add'));
    this._input.spellcheck = false;
    const add = document.createElement('button');
    add.type = 'submit';
    add.className = 'jp-MLDebuggerWatch-add jp-mod-styled';
    add.textContent = trans.__('Add');
    add.title = trans.__('Watch this expression');
    form.append(this._input, add);
    form.addEventListener('submit', this);
    this.node.appendChild(form);

    this._scope = document.createElement('div');
    this._scope.className = 'jp-MLDebuggerWatch-scope';
    this._list = document.createElement('ul');
    this._list.className = 'jp-MLDebuggerWatch-list';
    this.node.append(this._scope, this._list);
    this._list.addEventListener('click', this);

    this._model.changed.connect(this.update, this);
    this.update();
  }

  handleEvent(event: Event): void {
    if (event.type === 'submit') {
      event.preventDefault();
      const expression = this._input.value.trim();
      if (expression) {
        void this._commands
          .execute(this._commandIds.add, { expression })
          .then(() => {
            this._input.value = '';
          });
      }
      return;
    }
    const button = (event.target as HTMLElement).closest(
      '.jp-MLDebuggerWatch-remove, .jp-MLDebuggerWatch-reveal'
    ) as HTMLElement | null;
    const expression = button?.closest('li')?.dataset.name;
    if (button && expression !== undefined) {
      const reveal = button.classList.contains('jp-MLDebuggerWatch-reveal');
      const id = reveal ? this._commandIds.reveal : this._commandIds.remove;
      void this._commands.execute(id, { expression });
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.changed.disconnect(this.update, this);
    this.node.querySelector('form')?.removeEventListener('submit', this);
    this._list.removeEventListener('click', this);
    super.dispose();
  }

  protected onUpdateRequest(msg: Message): void {
    const model = this._model;
    const trans = this._trans;
    this._scope.textContent = model.message
      ? model.message
      : model.scopeLabel
        ? trans.__('Evaluated in: %1', model.scopeLabel)
        : '';
    this._scope.classList.toggle('jp-mod-error', model.message !== '');
    if (model.expressions.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'jp-MLDebuggerWatch-empty';
      empty.textContent = trans.__(
        'No watches. Add an expression above; it is evaluated at every stop and live refresh, and saved with the notebook.'
      );
      this._list.replaceChildren(empty);
      return;
    }
    this._list.replaceChildren(
      ...model.expressions.map(expression => this._item(expression))
    );
  }

  private _item(expression: string): HTMLElement {
    const trans = this._trans;
    const row = this._model.row(expression);
    const li = document.createElement('li');
    li.className = 'jp-MLDebuggerWatch-row';
    li.dataset.name = expression;
    if (row?.kind === 'error') {
      li.classList.add('jp-mod-error');
    }
    if (row?.nonfinite) {
      li.classList.add('jp-mod-nonfinite');
    }
    const name = document.createElement('span');
    name.className = 'jp-MLDebuggerWatch-expression';
    name.textContent = expression;
    name.title = expression;
    // A value the kernel masked shows as masked until the user reveals it.
    const revealed = this._model.revealed(expression);
    const shown = revealed ?? row;
    const value = document.createElement('span');
    value.className = 'jp-MLDebuggerWatch-value';
    value.classList.toggle('jp-mod-masked', row?.masked === true && !revealed);
    value.textContent = shown ? shown.summary : trans.__('not evaluated yet');
    value.title = shown ? `${shown.type}: ${shown.summary}` : '';
    li.append(name, value);
    if (row?.masked) {
      const reveal = document.createElement('button');
      reveal.className = 'jp-MLDebuggerWatch-reveal jp-mod-styled';
      reveal.textContent = revealed ? trans.__('mask') : trans.__('reveal');
      const label = revealed
        ? trans.__('Mask the value of %1 again', expression)
        : trans.__('Reveal the value of %1, which the kernel masked as a secret', expression);
      reveal.title = label;
      reveal.setAttribute('aria-label', label);
      li.appendChild(reveal);
    }
    if (row?.contract) {
      const contract = document.createElement('span');
      contract.className = 'jp-MLDebuggerWatch-contract';
      contract.classList.toggle('jp-mod-error', !row.contract.ok);
      contract.textContent = row.contract.ok ? trans.__('shape ok') : trans.__('shape mismatch');
      contract.title = row.contract.message;
      li.appendChild(contract);
    }
    const history = this._model.history(expression);
    if (history.some(Number.isFinite)) {
      li.appendChild(
        createSparkline(history, trans.__('%1 over refreshes', expression))
      );
    }
    const remove = document.createElement('button');
    remove.className = 'jp-MLDebuggerWatch-remove jp-mod-styled';
    remove.textContent = '×';
    remove.title = trans.__('Stop watching %1', expression);
    remove.setAttribute('aria-label', trans.__('Remove watch %1', expression));
    li.appendChild(remove);
    return li;
  }

  private _model: WatchModel;
  private _commands: CommandRegistry;
  private _commandIds: WatchBody.ICommandIds;
  private _trans: TranslationBundle;
  private _input: HTMLInputElement;
  private _scope: HTMLElement;
  private _list: HTMLElement;
}

export namespace WatchBody {
  export interface IOptions {
    model: WatchModel;
    commands: CommandRegistry;
    commandIds: ICommandIds;
    translator?: ITranslator;
  }

  export interface ICommandIds {
    /** Called with `{ expression }`. */
    add: string;
    /** Called with `{ expression }`. */
    remove: string;
    /** Called with `{ expression }`: reveal a masked value, or mask it again. */
    reveal: string;
  }
}
