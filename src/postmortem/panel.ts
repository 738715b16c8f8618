/**
 * The Exceptions section of the debugger sidebar.
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { SectionPanel } from '../dom/sectionPanel';
import type { IPattern } from '../patterns/registry';
import { PostmortemBody } from './body';
import type { PostmortemModel } from './model';

/**
 * The last exception of the kernel, its chain and its frames, after the cell failed.
 */
export class PostmortemPanel extends SectionPanel {
  constructor(options: PostmortemPanel.IOptions) {
    // Kept up to date from a background tab too, for its badge.
    super({ ...options, shown: options.model, whileHidden: 'watch' });
    const { model, commands, commandIds, patterns } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerPostmortem';
    this.addClass('jp-MLDebuggerPostmortem');
    this.title.label = trans.__('Exceptions');
    this.title.caption = patterns.map(p => `${p.name}: ${p.explanation}`).join('\n');
    this.toolbar.node.setAttribute('aria-label', trans.__('Exceptions toolbar'));
    this.toolbar.addItem(
      'refresh',
      new CommandToolbarButton({ commands, id: commandIds.refresh, args: { toolbar: true }, label: '' })
    );
    this.addWidget(new PostmortemBody({ model, translator }));
  }
}

export namespace PostmortemPanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    model: PostmortemModel;
    commands: CommandRegistry;
    commandIds: { refresh: string };
    /** The patterns the section shows, for its caption. */
    patterns: IPattern[];
    translator?: ITranslator;
  }
}
