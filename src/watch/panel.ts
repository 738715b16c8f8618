/**
 * The Watch section of the debugger sidebar.
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import {
  CommandToolbarButton,
  PanelWithToolbar
} from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { Message } from '@lumino/messaging';
import { WatchBody } from './body';
import type { WatchModel } from './model';

/**
 * Expressions the user watches, evaluated where the debugger stands.
 */
export class WatchPanel extends PanelWithToolbar {
  constructor(options: WatchPanel.IOptions) {
    super(options);
    const { model, commands, commandIds } = options;
    this._model = model;
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
        commandIds: { add: commandIds.add, remove: commandIds.remove },
        translator
      })
    );
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._model.isShown = this.isVisible;
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._model.isShown = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._model.isShown = false;
  }

  protected onBeforeDetach(msg: Message): void {
    this._model.isShown = false;
    super.onBeforeDetach(msg);
  }

  private _model: WatchModel;
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
    refresh: string;
  }
}
