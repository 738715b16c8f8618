/**
 * The Type Structure section of the debugger sidebar.
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { SectionPanel } from '../dom/sectionPanel';
import type { CommandRegistry } from '@lumino/commands';
import type { IPattern } from '../patterns/registry';
import { StructureBody } from './body';
import type { StructureModel } from './model';

/**
 * What a value is made of; for a model, its module tree.
 */
export class StructurePanel extends SectionPanel {
  constructor(options: StructurePanel.IOptions) {
    super({ ...options, shown: options.model });
    const { model, commands, commandIds, pattern } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerStructure';
    this.addClass('jp-MLDebuggerStructure');
    this.title.label = pattern.section;
    this.title.caption = `${pattern.name}: ${pattern.explanation}`;
    this.toolbar.node.setAttribute('aria-label', trans.__('Type Structure toolbar'));
    for (const [name, id] of [
      ['recording', commandIds.toggleRecording],
      ['refresh', commandIds.refresh]
    ] as const) {
      this.toolbar.addItem(
        name,
        new CommandToolbarButton({ commands, id, args: { toolbar: true }, label: '' })
      );
    }
    this.addWidget(new StructureBody({ model, translator }));
  }
}

export namespace StructurePanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    model: StructureModel;
    commands: CommandRegistry;
    commandIds: ICommandIds;
    pattern: IPattern;
    translator?: ITranslator;
  }

  export interface ICommandIds {
    refresh: string;
    toggleRecording: string;
  }
}
