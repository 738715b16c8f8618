/**
 * The Modules section of the debugger sidebar.
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { SectionPanel } from '../dom/sectionPanel';
import type { IPattern } from '../patterns/registry';
import { ModulesBody } from './body';
import type { ModulesModel } from './model';

/**
 * The kernel's loaded modules with versions and paths, and where they
 * differ from what the project requires.
 */
export class ModulesPanel extends SectionPanel {
  constructor(options: ModulesPanel.IOptions) {
    super({ ...options, shown: options.model });
    const { model, commands, commandIds, pattern } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerModules';
    this.addClass('jp-MLDebuggerModules');
    this.title.label = trans.__('Modules');
    this.title.caption = `${pattern.name}: ${pattern.explanation}`;
    this.toolbar.node.setAttribute('aria-label', trans.__('Modules toolbar'));
    for (const [name, id] of [
      ['check-requirements', commandIds.checkRequirements],
      ['refresh', commandIds.show]
    ] as const) {
      this.toolbar.addItem(
        name,
        new CommandToolbarButton({ commands, id, args: { toolbar: true }, label: '' })
      );
    }
    this.addWidget(new ModulesBody({ model, translator }));
  }
}

export namespace ModulesPanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    model: ModulesModel;
    commands: CommandRegistry;
    commandIds: { show: string; checkRequirements: string };
    pattern: IPattern;
    translator?: ITranslator;
  }
}
