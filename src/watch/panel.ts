/**
 * The Watch section of the debugger sidebar.
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { SectionPanel } from '../dom/sectionPanel';
import type { CommandRegistry } from '@lumino/commands';
import { WatchBody } from './body';
import type { WatchModel } from './model';

/**
 * Expressions the user watches, evaluated where the debugger stands.
 */
export class WatchPanel extends SectionPanel {
  constructor(options: WatchPanel.IOptions) {
    super({ ...options, shown: options.model });
    const { model, commands, commandIds } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerWatch';
    this.addClass('jp-MLDebuggerWatch');
    this.title.label = trans.__('Watch');
    this.title.caption = trans.__(
      'Expressions evaluated in the selected frame at every stop, in the running cell at every live refresh, and in the globals when idle'
    );
    this.toolbar.addClass('jp-MLDebuggerWatch-toolbar');
    this.toolbar.node.setAttribute('aria-label', trans.__('Watch toolbar'));
    this.toolbar.addItem(
      'refresh',
      new CommandToolbarButton({
        commands,
        id: commandIds.refresh,
        args: { toolbar: true },
        label: ''
      })
    );
    this.addWidget(
      new WatchBody({
        model,
        commands,
        commandIds: { add: commandIds.add, remove: commandIds.remove, reveal: commandIds.reveal },
        translator
      })
    );
  }
}

export namespace WatchPanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    model: WatchModel;
    commands: CommandRegistry;
    commandIds: ICommandIds;
    translator?: ITranslator;
  }

  export interface ICommandIds {
    add: string;
    remove: string;
    /** Reveal a masked watch's value, or mask it again. */
    reveal: string;
    refresh: string;
  }
}
