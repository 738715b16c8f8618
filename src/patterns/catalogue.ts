/**
 * The "Debugging Patterns" catalogue: every pattern of the vocabulary, what
 * it gives, the view that shows it and the notebook that teaches it, as
 * text. A pattern this build does not offer yet is greyed and marked planned.
 */
import type { Contents } from '@jupyterlab/services';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { textNode } from '../dom/text';
import type { IPattern, PatternRegistry } from './registry';

const CLASS = 'jp-MLDebuggerPatterns';

/** The folder the teaching notebooks live in, relative to the repository root. */
const EXAMPLES = 'examples/';

/**
 * Where a teaching notebook may be in the server's folder: `make lab` serves
 * examples/ itself, so the path without the folder comes first.
 */
export function notebookCandidates(notebook: string): string[] {
  return notebook.startsWith(EXAMPLES) ? [notebook.slice(EXAMPLES.length), notebook] : [notebook];
}

/** The first candidate the server has, or null when it has none. */
export async function findNotebook(
  contents: PatternCatalogue.IContents,
  notebook: string
): Promise<string | null> {
  for (const path of notebookCandidates(notebook)) {
    const found = await contents.get(path, { content: false }).then(
      () => true,
      () => false
    );
    if (found) {
      return path;
    }
  }
  return null;
}

/**
 * Lists the patterns of a registry in vocabulary order and opens their notebooks.
 */
export class PatternCatalogue extends Widget {
  constructor(options: PatternCatalogue.IOptions) {
    super();
    this._patterns = options.patterns;
    this._commands = options.commands;
    this._contents = options.contents;
    this._openCommand = options.openCommand ?? 'docmanager:open';
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this.addClass(CLASS);
    this._list = document.createElement('ol');
    this._list.className = `${CLASS}-list`;
    this.node.append(
      textNode('h2', `${CLASS}-title`, this._trans.__('Debugging Patterns')),
      textNode(
        'p',
        `${CLASS}-intro`,
        this._trans.__(
          'The patterns this debugger is organised around: what each gives you, the view that shows it, and the notebook that teaches it.'
        )
      ),
      this._list
    );
    this._patterns.changed.connect(this._render, this);
    this._list.addEventListener('click', this._onClick);
    this._render();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._list.removeEventListener('click', this._onClick);
    this._patterns.changed.disconnect(this._render, this);
    super.dispose();
  }

  /**
   * Open a pattern's teaching notebook where the server has it, at the
   * pattern's own cell when it has one; otherwise say so beside it.
   */
  async openNotebook(id: string): Promise<void> {
    const pattern = this._patterns.get(id);
    if (!pattern?.available) {
      return;
    }
    const trans = this._trans;
    this._notes.set(id, trans.__('Looking for the notebook…'));
    this._render();
    let note = '';
    try {
      const path = await findNotebook(this._contents, pattern.notebook);
      if (path === null) {
        note = trans.__("%1 was not found in this server's folder.", pattern.notebook);
      } else {
        const widget: unknown = await this._commands.execute(this._openCommand, { path });
        if (pattern.cell && hasFragments(widget)) {
          widget.setFragment(`#cell-id=${pattern.cell}`);
        }
      }
    } catch (reason) {
      note = trans.__(
        '%1 could not be opened: %2',
        pattern.notebook,
        reason instanceof Error ? reason.message : String(reason)
      );
    }
    if (this.isDisposed) {
      return;
    }
    this._notes.set(id, note);
    this._render();
  }

  private _render(): void {
    this._list.replaceChildren(...this._patterns.all().map(p => this._item(p)));
  }

  private _item(pattern: IPattern): HTMLElement {
    const trans = this._trans;
    const item = document.createElement('li');
    item.className = `${CLASS}-pattern`;
    item.dataset.id = pattern.id;
    const head = document.createElement('div');
    head.className = `${CLASS}-head`;
    head.appendChild(textNode('span', `${CLASS}-name`, pattern.name));
    if (!pattern.available) {
      item.classList.add(`${CLASS}-planned`);
      item.setAttribute('aria-disabled', 'true');
      head.appendChild(textNode('span', `${CLASS}-badge`, trans.__('planned')));
    }
    item.append(
      head,
      textNode('div', `${CLASS}-explanation`, pattern.explanation),
      textNode('div', `${CLASS}-section`, trans.__('Shown in: %1', pattern.section))
    );
    const notebook = document.createElement('div');
    notebook.className = `${CLASS}-notebook`;
    notebook.appendChild(textNode('span', `${CLASS}-label`, trans.__('Notebook:')));
    const button = document.createElement('button');
    button.className = `${CLASS}-open jp-mod-styled`;
    button.textContent = basename(pattern.notebook);
    button.dataset.id = pattern.id;
    button.disabled = !pattern.available;
    button.title = pattern.available
      ? trans.__('Open the teaching notebook %1', pattern.notebook)
      : trans.__('Planned: not in this build yet');
    notebook.appendChild(button);
    const note = this._notes.get(pattern.id);
    if (note) {
      notebook.appendChild(textNode('span', `${CLASS}-note`, note));
    }
    item.appendChild(notebook);
    return item;
  }

  private _onClick = (event: MouseEvent): void => {
    const target = event.target instanceof Element ? event.target : null;
    const id = target?.closest<HTMLElement>(`.${CLASS}-open`)?.dataset.id;
    if (id) {
      void this.openNotebook(id);
    }
  };

  private _patterns: PatternRegistry;
  private _commands: CommandRegistry;
  private _contents: PatternCatalogue.IContents;
  private _openCommand: string;
  private _trans: TranslationBundle;
  private _list: HTMLOListElement;
  private _notes = new Map<string, string>();
}

/** A document that scrolls to a URI fragment, as a notebook panel does. */
function hasFragments(widget: unknown): widget is { setFragment(fragment: string): void } {
  return (
    typeof widget === 'object' &&
    widget !== null &&
    typeof (widget as { setFragment?: unknown }).setFragment === 'function'
  );
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export namespace PatternCatalogue {
  /** The server's contents, as `app.serviceManager.contents` gives them. */
  export type IContents = Pick<Contents.IManager, 'get'>;

  export interface IOptions {
    patterns: PatternRegistry;
    commands: CommandRegistry;
    contents: IContents;
    /** The command that opens a document given its `path`; `docmanager:open` by default. */
    openCommand?: string;
    translator?: ITranslator;
  }
}
