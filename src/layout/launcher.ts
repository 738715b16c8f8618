/**
 * The status bar's "ML Debugger" button: a menu of every view, each with its
 * badge, so any view is two clicks from a notebook; the button itself counts
 * the views off screen that have something to say. It lives in the status
 * bar, not the notebook toolbar, so it takes no room from JupyterLab's own
 * toolbar items (a toolbar at the edge of its width then kept an item on a
 * second row over the first cell).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { caretDownEmptyIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { Menu, Widget } from '@lumino/widgets';
import type { MLViews } from './views';
import { OPEN_VIEW_COMMAND } from './views';

/** The status bar item's id. */
export const LAUNCHER_STATUS_ITEM = 'jupyterlab-ml-debugger:views';

export class ViewsLauncher extends Widget {
  constructor(options: ViewsLauncher.IOptions) {
    super();
    this._views = options.views;
    this._commands = options.commands;
    this._leading = options.leading ?? [];
    this._opensDown = options.opensDown ?? false;
    this._trans = options.trans;
    this.addClass('jp-MLDebuggerLauncher');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'jp-MLDebuggerLauncher-button';
    button.setAttribute('aria-haspopup', 'menu');
    const label = document.createElement('span');
    label.className = 'jp-MLDebuggerLauncher-label';
    label.textContent = this._trans.__('ML Debugger');
    this._badge = document.createElement('span');
    this._badge.className = 'jp-MLDebuggerLauncher-badge';
    button.append(label, this._badge);
    caretDownEmptyIcon.element({ container: button.appendChild(document.createElement('span')) });
    button.addEventListener('click', () => this.openMenu());
    this.node.appendChild(button);
    this._button = button;
    this._views.changed.connect(this._update, this);
    this._update();
  }

  /** Open the menu of views below the button. */
  openMenu(): void {
    const menu = new Menu({ commands: this._commands });
    menu.addClass('jp-MLDebuggerLauncher-menu');
    for (const command of this._leading) {
      menu.addItem({ command });
    }
    for (const view of this._views.views) {
      menu.addItem({ command: OPEN_VIEW_COMMAND, args: { view: view.key } });
    }
    menu.aboutToClose.connect(() => {
      // Dispose after the click that closed it was handled.
      requestAnimationFrame(() => menu.dispose());
    });
    const rect = this._button.getBoundingClientRect();
    if (this._opensDown) {
      menu.open(rect.left, rect.bottom);
    } else {
      // Lumino shows a menu that does not fit below its point above it.
      menu.open(rect.left, rect.top);
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._views.changed.disconnect(this._update, this);
    super.dispose();
  }

  private _update(): void {
    const waiting = this._views.views.filter(v => this._views.attentionOf(v.key).count > 0);
    this._badge.textContent = waiting.length ? String(waiting.length) : '';
    this._badge.hidden = !waiting.length;
    const names = waiting.map(v => v.label).join(', ');
    const title = waiting.length
      ? this._trans.__('ML Debugger views (%1 to look at: %2)', waiting.length, names)
      : this._trans.__('ML Debugger views: Watch, Checks, Trace, Threads, Counters and more');
    this._button.title = title;
    this._button.setAttribute('aria-label', title);
  }

  private _views: MLViews;
  private _commands: CommandRegistry;
  private _leading: readonly string[];
  private _opensDown: boolean;
  private _trans: TranslationBundle;
  private _button: HTMLButtonElement;
  private _badge: HTMLSpanElement;
}

export namespace ViewsLauncher {
  export interface IOptions {
    views: MLViews;
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** Commands listed before the views: those that show what lives elsewhere (Variable Values). */
    leading?: readonly string[];
    /** Whether the menu opens below the button (at the top of the page) rather than above it. */
    opensDown?: boolean;
  }
}
