/**
 * The Checks section of the debugger sidebar.
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { SectionPanel } from '../dom/sectionPanel';
import type { CommandRegistry } from '@lumino/commands';
import type { IPattern } from '../patterns/registry';
import { ChecksBody } from './body';
import type { ChecksModel } from './model';

/**
 * NaN/Inf in reach and their origin, gradient health, shape errors, the
 * checked step and data defects.
 */
export class ChecksPanel extends SectionPanel {
  constructor(options: ChecksPanel.IOptions) {
    // Kept up to date from a background tab too, for its badge.
    super({ ...options, shown: options.model, whileHidden: 'watch' });
    const { model, commands, commandIds, pattern } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerChecks';
    this.addClass('jp-MLDebuggerChecks');
    this.title.label = trans.__('Checks');
    this.title.caption = `${pattern.name}: ${pattern.explanation}`;
    this.toolbar.node.setAttribute('aria-label', trans.__('Checks toolbar'));
    for (const [name, id] of [
      ['checked-step', commandIds.checkedStep],
      ['refresh', commandIds.refresh]
    ] as const) {
      this.toolbar.addItem(
        name,
        new CommandToolbarButton({ commands, id, args: { toolbar: true }, label: '' })
      );
    }
    this.addWidget(
      new ChecksBody({ model, commands, unwatchCommand: commandIds.unwatch, translator })
    );
  }
}

export namespace ChecksPanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    model: ChecksModel;
    commands: CommandRegistry;
    commandIds: { refresh: string; checkedStep: string; unwatch: string };
    pattern: IPattern;
    translator?: ITranslator;
  }
}
