/**
 * A view of the ML debugger (a debugger sidebar section or a down-area tab)
 * that tells its model whether it is to be kept up to date, so a view nobody
 * looks at costs no kernel round trips. A view that calls for attention from
 * a background tab (Checks, Threads, Counters, Exceptions) keeps working
 * while it is open at all; the others only while on screen.
 */
import { PanelWithToolbar } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';

export class SectionPanel extends PanelWithToolbar {
  constructor(options: SectionPanel.IOptions) {
    super(options);
    this._shown = options.shown;
    this._whileHidden = options.whileHidden ?? 'pause';
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._shown.isShown = this._whileHidden === 'watch' || this.isVisible;
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._shown.isShown = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    if (this._whileHidden === 'pause') {
      this._shown.isShown = false;
    }
  }

  protected onBeforeDetach(msg: Message): void {
    this._shown.isShown = false;
    super.onBeforeDetach(msg);
  }

  private _shown: { isShown: boolean };
  private _whileHidden: SectionPanel.WhileHidden;
}

export namespace SectionPanel {
  /** `pause`: asks nothing while off screen; `watch`: keeps reading while open, for its badge. */
  export type WhileHidden = 'pause' | 'watch';

  export interface IOptions extends PanelWithToolbar.IOptions {
    /** What is told whether the view is to be kept up to date. */
    shown: { isShown: boolean };
    /** What the view does while it is open but off screen; `pause` by default. */
    whileHidden?: WhileHidden;
  }
}
