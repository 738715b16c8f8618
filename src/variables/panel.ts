/**
 * The Variable Values section of the debugger sidebar.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { SectionPanel } from '../dom/sectionPanel';
import type { CommandRegistry } from '@lumino/commands';
import { Panel, Widget } from '@lumino/widgets';
import type { IPattern } from '../patterns/registry';
import { VariableValuesBody } from './body';
import type { VariableValuesModel } from './model';

/**
 * A sidebar section listing every value of the selected frame, the running
 * cell, or the globals.
 */
export class VariableValuesPanel extends SectionPanel {
  constructor(options: VariableValuesPanel.IOptions) {
    super({ ...options, shown: options.model });
    const { model, commands, commandIds, pattern } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerValues';
    this.addClass('jp-MLDebuggerValues');
    // The section is named by its pattern, and hovering its title explains it.
    this.title.label = pattern.section;
    this.title.caption = trans.__('%1: %2', pattern.name, pattern.explanation);

    this.toolbar.addClass('jp-MLDebuggerValues-toolbar');
    this.toolbar.node.setAttribute(
      'aria-label',
      trans.__('Variable Values toolbar')
    );
    this.toolbar.addItem(
      'scopes',
      new CommandToolbarButton({
        commands,
        id: commandIds.toggleScopeGroups,
        args: { toolbar: true },
        label: ''
      })
    );
    this.toolbar.addItem(
      'refresh',
      new CommandToolbarButton({
        commands,
        id: commandIds.refresh,
        args: { toolbar: true },
        label: ''
      })
    );

    // Filter and sort sit below the title, which keeps room for its name in
    // a laptop's sidebar; the explanation shows only while there is no value.
    const controls = new Panel();
    controls.addClass('jp-MLDebuggerValues-controls');
    controls.addWidget(new ValuesFilter(model, trans));
    controls.addWidget(new ValuesSort(model, trans));
    this.addWidget(controls);
    const subtitle = new Widget();
    subtitle.addClass('jp-MLDebuggerValues-subtitle');
    subtitle.node.textContent = pattern.explanation;
    subtitle.node.title = pattern.explanation;
    this.addWidget(subtitle);
    const showSubtitle = () => subtitle.setHidden(model.groups.some(g => g.rows.length > 0));
    model.changed.connect(showSubtitle, subtitle);
    showSubtitle();
    this.addWidget(
      new VariableValuesBody({
        model,
        commands,
        commandIds: {
          toggleRow: commandIds.toggleRow,
          showRepr: commandIds.showRepr,
          revealValue: commandIds.revealValue
        },
        translator
      })
    );
  }
}

export namespace VariableValuesPanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    model: VariableValuesModel;
    commands: CommandRegistry;
    commandIds: ICommandIds;
    /** The Variable Value pattern, which names and explains the section. */
    pattern: IPattern;
    translator?: ITranslator;
  }

  export interface ICommandIds {
    refresh: string;
    /** Group the rows by scope, or ungroup them. */
    toggleScopeGroups: string;
    toggleRow: string;
    showRepr: string;
    /** Reveal a masked row's value, or mask it again. */
    revealValue: string;
  }
}

/** A text box that narrows the rows by name or type. */
class ValuesFilter extends Widget {
  constructor(model: VariableValuesModel, trans: TranslationBundle) {
    const input = document.createElement('input');
    input.type = 'search';
    input.className = 'jp-MLDebuggerValues-filter jp-mod-styled';
    input.placeholder = trans.__('Filter');
    input.title = trans.__('Show only values whose name or type contains this');
    input.setAttribute('aria-label', trans.__('Filter values by name or type'));
    input.value = model.filter;
    super({ node: input });
    this._model = model;
    input.addEventListener('input', this);
  }

  handleEvent(): void {
    this._model.filter = (this.node as HTMLInputElement).value;
  }

  dispose(): void {
    this.node.removeEventListener('input', this);
    super.dispose();
  }

  private _model: VariableValuesModel;
}

/** Sort order: by name or by size, either way. */
class ValuesSort extends Widget {
  constructor(model: VariableValuesModel, trans: TranslationBundle) {
    const select = document.createElement('select');
    select.className = 'jp-MLDebuggerValues-sort jp-mod-styled';
    select.title = trans.__('Sort values');
    select.setAttribute('aria-label', trans.__('Sort values'));
    const choices: Array<[string, string]> = [
      ['name:ascending', trans.__('Name A–Z')],
      ['name:descending', trans.__('Name Z–A')],
      ['size:descending', trans.__('Largest first')],
      ['size:ascending', trans.__('Smallest first')]
    ];
    for (const [value, label] of choices) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      select.appendChild(option);
    }
    super({ node: select });
    this._model = model;
    select.addEventListener('change', this);
    model.changed.connect(this._sync, this);
    this._sync();
  }

  handleEvent(): void {
    const [key, direction] = (this.node as HTMLSelectElement).value.split(':');
    this._model.sortKey = key === 'size' ? 'size' : 'name';
    this._model.sortDirection =
      direction === 'descending' ? 'descending' : 'ascending';
  }

  dispose(): void {
    this.node.removeEventListener('change', this);
    this._model.changed.disconnect(this._sync, this);
    super.dispose();
  }

  /** Follow changes made elsewhere, e.g. by the toggle-sort command. */
  private _sync(): void {
    (this.node as HTMLSelectElement).value =
      `${this._model.sortKey}:${this._model.sortDirection}`;
  }

  private _model: VariableValuesModel;
}
