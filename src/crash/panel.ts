/**
 * The Crash and Hang view, a tab of the down area.
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { SectionPanel } from '../dom/sectionPanel';
import type { IPattern } from '../patterns/registry';
import { CrashBody } from './body';
import type { CrashModel } from './model';

/**
 * Why the kernel died (Crash) and where a running cell is stuck (Hang).
 */
export class CrashPanel extends SectionPanel {
  constructor(options: CrashPanel.IOptions) {
    // Kept up to date from a background tab too, for its badge.
    super({ ...options, shown: options.model, whileHidden: 'watch' });
    const { model, commands, commandIds, patterns } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerCrash';
    this.addClass('jp-MLDebuggerCrash');
    this.title.label = trans.__('Crash and Hang');
    this.title.caption = patterns.map(p => `${p.name}: ${p.explanation}`).join('\n');
    this.toolbar.node.setAttribute('aria-label', trans.__('Crash and Hang toolbar'));
    this.toolbar.addItem(
      'refresh',
      new CommandToolbarButton({ commands, id: commandIds.refresh, args: { toolbar: true }, label: '' })
    );
    this.addWidget(new CrashBody({ model, commands, commandIds, translator }));
  }
}

export namespace CrashPanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    model: CrashModel;
    commands: CommandRegistry;
    commandIds: CrashBody.ICommandIds & { refresh: string };
    /** The patterns the view shows, for its caption. */
    patterns: IPattern[];
    translator?: ITranslator;
  }
}
