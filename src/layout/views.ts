/**
 * Where the ML debugger's views live. Only Variable Values follows the
 * stopped frame in the debugger sidebar; every other view (Watch, Checks,
 * Trace, Type Structure, Threads, Counters, Exceptions, Modules) is a tab of
 * JupyterLab's down area, below the notebook, as VS Code opens its panels and
 * PyCharm its Debug tool window tabs. A view is created when it is opened and
 * disposed when its tab is closed; its model and service live on, so it
 * reopens where it was. Open views are restored after a reload by
 * JupyterLab's layout restorer, and the down area keeps its size and order.
 * Notebook 7's notebook page has a down area too, below its notebook (since
 * 7.4), and no layout restorer: there the views open the same way and a
 * reload starts with none open.
 */
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';
import type { LabIcon } from '@jupyterlab/ui-components';
import { PanelWithToolbar } from '@jupyterlab/ui-components';
import type { IDisposable } from '@lumino/disposable';
import type { Message } from '@lumino/messaging';
import { MessageLoop } from '@lumino/messaging';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';
import type { IAttention, IAttentionSource } from './attention';
import { QUIET, showAttention } from './attention';
import { bringForward } from './downArea';

/** The command that opens a view, by its key (also what the restorer runs). */
export const OPEN_VIEW_COMMAND = 'ml-debugger:open-view';

/** The type the ML Debugger's tabs are added to the shell with (shells may place tabs by type). */
export const VIEW_TYPE = 'ML Debugger';

/** Messages after which a view may have come on or gone off screen. */
const SCREEN_MESSAGES = new Set(['after-show', 'after-hide', 'after-attach', 'before-detach']);

/**
 * The ML debugger's views in the down area.
 */
export class MLViews implements IDisposable {
  constructor(options: MLViews.IOptions) {
    this._shell = options.shell;
    this._tracker = new WidgetTracker<Widget>({ namespace: 'ml-debugger-views' });
    if (options.restorer) {
      void options.restorer.restore(this._tracker, {
        command: OPEN_VIEW_COMMAND,
        args: widget => ({ view: this._keyOf(widget) ?? '' }),
        name: widget => this._keyOf(widget) ?? widget.id
      });
    }
  }

  /** Emitted when a view opens or closes, or its attention changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The registered views, in menu order. */
  get views(): readonly MLViews.IView[] {
    return [...this._views.values()].map(entry => entry.view).sort((a, b) => a.rank - b.rank);
  }

  /** The registered view of `key`, or null. */
  view(key: unknown): MLViews.IView | null {
    return typeof key === 'string' ? (this._views.get(key)?.view ?? null) : null;
  }

  /** Register a view; it appears in the down area when opened. */
  add(view: MLViews.IView): void {
    const entry: IEntry = { view, widget: null, caption: view.label };
    this._views.set(view.key, entry);
    // A view not open asks the kernel nothing until it is.
    if (view.shown) {
      view.shown.isShown = false;
    }
    view.attention?.changed.connect(() => this._refresh(entry), this);
    this._changed.emit();
  }

  /** Whether a view is open (a tab of the shell, on screen or not). */
  isOpen(key: string): boolean {
    return !!this._views.get(key)?.widget;
  }

  /** What a view has to say while it is off screen (nothing while it is on screen). */
  attentionOf(key: string): IAttention {
    const entry = this._views.get(key);
    if (!entry?.view.attention || entry.widget?.isVisible) {
      return QUIET;
    }
    return entry.view.attention.read();
  }

  /** Open a view if it is not, and bring it forward; returns its widget. */
  reveal(key: string): Widget | null {
    const entry = this._views.get(key);
    if (!entry || this._isDisposed) {
      return null;
    }
    const widget = entry.widget ?? this._open(entry);
    bringForward(this._shell, widget);
    return widget;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    for (const entry of this._views.values()) {
      entry.widget?.dispose();
    }
    this._tracker.dispose();
    Signal.clearData(this);
  }

  private _open(entry: IEntry): Widget {
    const { view } = entry;
    const widget = view.create();
    widget.id = widget.id || `jp-MLDebugger-view-${view.key}`;
    widget.title.label = view.label;
    entry.caption = widget.title.caption || view.label;
    widget.title.closable = true;
    if (view.icon) {
      widget.title.icon = view.icon;
    }
    widget.addClass('jp-MLDebugger-view');
    // The debugger sidebar shows a section's toolbar in the section's title;
    // a tab has no such title, so the view carries its toolbar above its body.
    if (widget instanceof PanelWithToolbar && !widget.toolbar.parent) {
      widget.insertWidget(0, widget.toolbar);
    }
    entry.widget = widget;
    MessageLoop.installMessageHook(widget, (_: unknown, msg: Message) => {
      if (SCREEN_MESSAGES.has(msg.type)) {
        // After the message is handled, when isVisible tells the truth.
        queueMicrotask(() => this._refresh(entry));
      }
      return true;
    });
    widget.disposed.connect(() => {
      if (entry.widget === widget) {
        entry.widget = null;
        this._changed.emit();
      }
    });
    this._shell.add(widget, 'down', { type: VIEW_TYPE });
    void this._tracker.add(widget);
    this._changed.emit();
    return widget;
  }

  private _refresh(entry: IEntry): void {
    const { widget, view } = entry;
    if (this._isDisposed) {
      return;
    }
    if (widget?.isVisible) {
      view.attention?.seen();
    }
    if (widget && !widget.isDisposed) {
      showAttention(widget.title, entry.caption, view.attention?.read() ?? QUIET, widget.isVisible);
    }
    this._changed.emit();
  }

  private _keyOf(widget: Widget): string | undefined {
    for (const [key, entry] of this._views) {
      if (entry.widget === widget) {
        return key;
      }
    }
    return undefined;
  }

  private _shell: JupyterFrontEnd.IShell;
  private _tracker: WidgetTracker<Widget>;
  private _views = new Map<string, IEntry>();
  private _changed = new Signal<this, void>(this);
  private _isDisposed = false;
}

interface IEntry {
  view: MLViews.IView;
  widget: Widget | null;
  /** The open widget's own tooltip, which a badge's reason is added to. */
  caption: string;
}

export namespace MLViews {
  export interface IOptions {
    shell: JupyterFrontEnd.IShell;
    /** Restores the views that were open; none without it. */
    restorer?: ILayoutRestorer | null;
  }

  /** One view: how to make its widget, and what it has to say off screen. */
  export interface IView {
    /** A short stable name: `threads`, `counters`, ... */
    key: string;
    /** Its tab's label. */
    label: string;
    /** Menu and tab order, smallest first. */
    rank: number;
    icon?: LabIcon;
    /** A new widget over the view's model (the model outlives it). */
    create(): Widget;
    attention?: IAttentionSource;
    /**
     * What its widget tells whether to keep the view up to date (its model);
     * told `false` while the view is not open.
     */
    shown?: { isShown: boolean };
  }
}
