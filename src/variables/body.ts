/**
 * The rows of the Variable Values section.
 *
 * Everything that came from the kernel is written with `textContent`: a value
 * is text, so a string holding markup shows as that markup, never as HTML.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import type { IRow } from '../kernel/protocol';
import { createSparkline } from '../sparkline/widget';
import { shadowFlag } from './groups';
import type { VariableValuesModel } from './model';
import { rowKey } from './rows';

const CLASS = 'jp-MLDebuggerValues';

/**
 * Renders a `VariableValuesModel`; row actions go through commands.
 */
export class VariableValuesBody extends Widget {
  constructor(options: VariableValuesBody.IOptions) {
    super();
    this._model = options.model;
    this._commands = options.commands;
    this._ids = options.commandIds;
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_ml_debugger'
    );
    this.addClass(`${CLASS}-body`);

    this._scope = document.createElement('div');
    this._scope.className = `${CLASS}-scope`;
    this._notice = document.createElement('div');
    this._notice.className = `${CLASS}-message`;
    this._notice.setAttribute('role', 'status');
    this._list = document.createElement('div');
    this._list.className = `${CLASS}-list`;
    this._list.setAttribute('role', 'tree');
    this._list.setAttribute('aria-label', this._trans.__('Variable values'));
    this.node.append(this._scope, this._notice, this._list);

    this._list.addEventListener('click', this);
    this._model.changed.connect(this._render, this);
    this._render();
  }

  /** Handle clicks on the row buttons, delegated from the list. */
  handleEvent(event: Event): void {
    if (event.type !== 'click' || !(event.target instanceof Element)) {
      return;
    }
    const button = event.target.closest<HTMLElement>('[data-action]');
    const key = button?.dataset.key;
    if (!button || key === undefined) {
      return;
    }
    const ids: Record<string, string> = {
      repr: this._ids.showRepr,
      reveal: this._ids.revealValue,
      toggle: this._ids.toggleRow
    };
    void this._commands.execute(ids[button.dataset.action ?? 'toggle'], { key });
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._list.removeEventListener('click', this);
    this._model.changed.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const model = this._model;
    const trans = this._trans;
    this._scope.textContent = model.scopeLabel
      ? trans.__('Showing: %1', model.scopeLabel)
      : '';
    this._scope.title = this._scope.textContent;

    const groups =
      model.status === 'ready' || model.status === 'error'
        ? model.visibleGroups
        : [];
    this._notice.textContent = this._noticeText(groups);
    this._notice.classList.toggle(
      `${CLASS}-message-error`,
      model.status === 'error'
    );
    this._notice.hidden = this._notice.textContent === '';

    const fragment = document.createDocumentFragment();
    for (const group of groups) {
      const node = document.createElement('div');
      node.className = `${CLASS}-group`;
      node.setAttribute('role', 'group');
      if (group.label !== null) {
        const header = document.createElement('div');
        header.className = `${CLASS}-groupHeader`;
        header.textContent = group.label;
        node.setAttribute('aria-label', group.label);
        node.appendChild(header);
      }
      for (const row of group.rows) {
        this._appendRow(node, row, 1, group);
      }
      fragment.appendChild(node);
    }
    // The list is rebuilt on every change: keep keyboard focus on the button
    // the user just pressed, or it would jump to the page.
    const focused = document.activeElement;
    const refocus =
      focused instanceof HTMLElement && this._list.contains(focused)
        ? { action: focused.dataset.action, key: focused.dataset.key }
        : null;
    this._list.replaceChildren(fragment);
    if (refocus?.action && refocus.key !== undefined) {
      for (const button of Array.from(
        this._list.querySelectorAll<HTMLElement>('[data-action]')
      )) {
        if (
          button.dataset.action === refocus.action &&
          button.dataset.key === refocus.key
        ) {
          button.focus();
          break;
        }
      }
    }
  }

  /** The sentence above the rows, or '' when the rows speak for themselves. */
  private _noticeText(groups: VariableValuesModel.IGroup[]): string {
    const model = this._model;
    const trans = this._trans;
    switch (model.status) {
      case 'empty':
      case 'unsupported':
      case 'error':
        return model.message;
      case 'loading':
        return trans.__('Loading values…');
      default:
        break;
    }
    const total = model.groups.reduce((n, g) => n + g.rows.length, 0);
    if (total === 0) {
      return trans.__('No values in this scope.');
    }
    if (groups.every(g => g.rows.length === 0)) {
      return trans.__('No values match "%1".', model.filter);
    }
    if (model.truncated) {
      return trans.__(
        'Some values were left out to stay within the time budget.'
      );
    }
    return '';
  }

  private _appendRow(
    parent: HTMLElement,
    row: IRow,
    level: number,
    group: VariableValuesModel.IGroup | null
  ): void {
    const model = this._model;
    const trans = this._trans;
    const key = rowKey(row.path);
    const children = model.children(key);

    const node = document.createElement('div');
    node.className = `${CLASS}-row`;
    node.dataset.name = row.name;
    node.dataset.kind = row.kind;
    node.setAttribute('role', 'treeitem');
    node.setAttribute('aria-level', String(level));
    node.style.setProperty('--jp-mldebugger-level', String(level - 1));
    if (row.nonfinite) {
      node.classList.add(`${CLASS}-row-nonfinite`);
    }
    if (row.error !== null) {
      node.classList.add(`${CLASS}-row-error`);
    }

    if (row.expandable) {
      node.setAttribute('aria-expanded', String(children !== undefined));
      const twisty = this._button(
        'toggle',
        key,
        children ? '▾' : '▸',
        children
          ? trans.__('Collapse %1', row.name)
          : trans.__('Expand %1', row.name)
      );
      twisty.classList.add(`${CLASS}-twisty`);
      node.appendChild(twisty);
    } else {
      const spacer = document.createElement('span');
      spacer.className = `${CLASS}-twisty`;
      node.appendChild(spacer);
    }

    const name = document.createElement('span');
    name.className = `${CLASS}-name`;
    name.textContent = row.name;
    node.appendChild(name);

    const shadow = shadowFlag(row, trans);
    if (shadow) {
      const flag = document.createElement('span');
      flag.className = `${CLASS}-shadow`;
      flag.textContent = shadow.text;
      flag.title = shadow.title;
      node.appendChild(flag);
    }

    if (row.nonfinite) {
      const badge = document.createElement('span');
      badge.className = `${CLASS}-badge`;
      badge.textContent = trans.__('NaN/Inf');
      badge.title = trans.__('This value holds NaN or infinite numbers.');
      node.appendChild(badge);
    }

    // A value the kernel masked shows as masked until the user reveals it.
    const revealed = model.revealed(key);
    const shown = revealed ?? row;
    const summary = document.createElement('span');
    summary.className = `${CLASS}-summary`;
    summary.classList.toggle(`${CLASS}-summary-masked`, row.masked && !revealed);
    summary.textContent = shown.error ?? shown.summary;
    summary.title = `${row.type}: ${shown.error ?? shown.summary}`;
    node.appendChild(summary);

    const history = group ? model.history(group, row) : [];
    if (history.length > 1) {
      node.appendChild(
        createSparkline(
          history,
          trans.__('%1 over the last %2 refreshes', row.name, history.length)
        )
      );
    }

    if (row.masked) {
      const reveal = this._button(
        'reveal',
        key,
        revealed ? trans.__('mask') : trans.__('reveal'),
        revealed
          ? trans.__('Mask the value of %1 again', row.name)
          : trans.__('Reveal the value of %1, which the kernel masked as a secret', row.name)
      );
      reveal.classList.add(`${CLASS}-revealButton`);
      node.appendChild(reveal);
    }

    const repr = model.repr(key);
    const reprButton = this._button(
      'repr',
      key,
      repr ? trans.__('hide repr') : trans.__('repr'),
      repr
        ? trans.__('Hide the repr of %1', row.name)
        : trans.__("Show %1's own repr (runs its __repr__)", row.name)
    );
    reprButton.classList.add(`${CLASS}-reprButton`);
    node.appendChild(reprButton);
    parent.appendChild(node);

    if (repr) {
      const text = document.createElement('pre');
      text.className = `${CLASS}-repr`;
      text.style.setProperty('--jp-mldebugger-level', String(level));
      text.classList.toggle(`${CLASS}-repr-error`, repr.status === 'error');
      text.textContent =
        repr.status === 'loading'
          ? trans.__('Running repr…')
          : repr.truncated
            ? `${repr.text}\n${trans.__('(cut short)')}`
            : repr.text;
      parent.appendChild(text);
    }

    if (children) {
      const box = document.createElement('div');
      box.className = `${CLASS}-children`;
      box.setAttribute('role', 'group');
      if (children.status !== 'ready' || children.rows.length === 0) {
        const note = document.createElement('div');
        note.className = `${CLASS}-childNote`;
        note.style.setProperty('--jp-mldebugger-level', String(level));
        note.classList.toggle(
          `${CLASS}-childNote-error`,
          children.status === 'error'
        );
        note.textContent =
          children.status === 'loading'
            ? trans.__('Loading…')
            : children.status === 'error'
              ? children.message
              : trans.__('Nothing inside.');
        box.appendChild(note);
      }
      for (const child of children.rows) {
        this._appendRow(box, child, level + 1, null);
      }
      if (children.truncated) {
        const more = document.createElement('div');
        more.className = `${CLASS}-childNote`;
        more.style.setProperty('--jp-mldebugger-level', String(level));
        more.textContent = trans.__('More items were left out.');
        box.appendChild(more);
      }
      parent.appendChild(box);
    }
  }

  private _button(
    action: 'toggle' | 'repr' | 'reveal',
    key: string,
    text: string,
    label: string
  ): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.action = action;
    button.dataset.key = key;
    button.textContent = text;
    button.title = label;
    button.setAttribute('aria-label', label);
    return button;
  }

  private _model: VariableValuesModel;
  private _commands: CommandRegistry;
  private _ids: VariableValuesBody.ICommandIds;
  private _trans: TranslationBundle;
  private _scope: HTMLElement;
  private _notice: HTMLElement;
  private _list: HTMLElement;
}

export namespace VariableValuesBody {
  export interface IOptions {
    model: VariableValuesModel;
    commands: CommandRegistry;
    commandIds: ICommandIds;
    translator?: ITranslator;
  }

  /** The commands a row runs, each with `{ key }`: the row's key. */
  export interface ICommandIds {
    toggleRow: string;
    showRepr: string;
    revealValue: string;
  }
}
