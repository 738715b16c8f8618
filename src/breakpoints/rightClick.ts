/**
 * Right-click on an editor's gutter opens "Edit Breakpoint…".
 *
 * JupyterLab's breakpoint gutter toggles a breakpoint on any mouse button (its
 * mousedown handler ignores the button), so a right-click would remove the
 * breakpoint the user meant to edit. The right-button mousedown is caught in
 * the capture phase, above CodeMirror, and never reaches it.
 */
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';

/** CodeMirror's gutters element. */
const GUTTERS_SELECTOR = '.cm-gutters';

/**
 * Listens on a host element for right-clicks on gutters inside it.
 */
export class GutterRightClick implements IDisposable {
  constructor(options: GutterRightClick.IOptions) {
    this._host = options.host;
    this._commands = options.commands;
    this._command = options.command;
    this._locate = options.locate;
    this._host.addEventListener('mousedown', this, true);
    this._host.addEventListener('contextmenu', this, true);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  handleEvent(event: Event): void {
    if (!(event instanceof MouseEvent) || !(event.target instanceof Element)) {
      return;
    }
    const gutters = event.target.closest(GUTTERS_SELECTOR);
    if (!gutters || !this._host.contains(gutters)) {
      return;
    }
    if (event.type === 'contextmenu') {
      // The form opened on mousedown; JupyterLab's context menu would cover it.
      if (this._lastArgs) {
        event.preventDefault();
        event.stopPropagation();
        this._lastArgs = null;
      }
      return;
    }
    if (event.button !== 2) {
      return;
    }
    const args = this._locate(event.target, event);
    if (!args) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    this._lastArgs = args;
    void this._commands.execute(this._command, args);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._host.removeEventListener('mousedown', this, true);
    this._host.removeEventListener('contextmenu', this, true);
  }

  private _host: HTMLElement;
  private _commands: CommandRegistry;
  private _command: string;
  private _locate: GutterRightClick.Locate;
  private _lastArgs: ReadonlyPartialJSONObject | null = null;
  private _isDisposed = false;
}

export namespace GutterRightClick {
  /**
   * The command's arguments for a right-click on a gutter element, or null
   * when the gutter is not one this extension edits.
   */
  export type Locate = (
    target: Element,
    event: MouseEvent
  ) => ReadonlyPartialJSONObject | null;

  export interface IOptions {
    /** The element whose descendants' gutters are watched. */
    host: HTMLElement;
    commands: CommandRegistry;
    /** The command a right-click runs. */
    command: string;
    locate: Locate;
  }
}
