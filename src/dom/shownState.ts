/**
 * Whether a view is to be kept up to date. A view's model extends this; its
 * panel (a SectionPanel) sets it, and its service asks the kernel nothing
 * while the view is folded, off screen or closed.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';

export class ShownState {
  /** Whether the section is on screen. */
  get isShown(): boolean {
    return this._isShown;
  }
  set isShown(value: boolean) {
    if (value !== this._isShown) {
      this._isShown = value;
      this._shownChanged.emit(value);
    }
  }

  /** Emitted when `isShown` changes. */
  get shownChanged(): ISignal<this, boolean> {
    return this._shownChanged;
  }

  private _isShown = true;
  private _shownChanged = new Signal<this, boolean>(this);
}
