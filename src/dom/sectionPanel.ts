/**
 * A debugger sidebar section that tells its model whether it is on screen,
 * so a folded or closed section costs no kernel round trips.
 */
import { PanelWithToolbar } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';

export class SectionPanel extends PanelWithToolbar {
  constructor(options: SectionPanel.IOptions) {
    super(options);
    this._shown = options.shown;
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._shown.isShown = this.isVisible;
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._shown.isShown = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._shown.isShown = false;
  }

  protected onBeforeDetach(msg: Message): void {
    this._shown.isShown = false;
    super.onBeforeDetach(msg);
  }

  private _shown: { isShown: boolean };
}

export namespace SectionPanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    /** What is told whether the section is on screen. */
    shown: { isShown: boolean };
  }
}
