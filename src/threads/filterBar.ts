/**
 * The Threads toolbar's filters: a choice of state (all threads, Active
 * Thread, Blocked Thread) and of Blocking Module. Each writes to the model
 * and follows it, so the choice survives new samples and redraws.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { StateChoice } from './filter';
import { STATE_CHOICES } from './filter';
import { moduleLabel } from './frames';
import type { ThreadsModel } from './model';

const CLASS = 'jp-MLDebuggerThreads';
// The module select's value for "any module": no module is named by an empty string.
const ANY_MODULE = '';

/** A toolbar select bound to the model: `_sync` draws the model's choice, `handleEvent` writes the user's. */
abstract class FilterSelect extends Widget {
  constructor(model: ThreadsModel, className: string, label: string) {
    const select = document.createElement('select');
    select.className = `${CLASS}-filter ${className} jp-mod-styled`;
    select.title = label;
    select.setAttribute('aria-label', label);
    super({ node: select });
    this.model = model;
    select.addEventListener('change', this);
    model.changed.connect(this._sync, this);
  }

  /** The user picked an option. */
  abstract handleEvent(): void;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.node.removeEventListener('change', this);
    this.model.changed.disconnect(this._sync, this);
    super.dispose();
  }

  protected get select(): HTMLSelectElement {
    return this.node as HTMLSelectElement;
  }

  /** Replace the options by `choices` ([value, label]), keeping `value` selected. */
  protected setOptions(choices: Array<[string, string]>, value: string): void {
    const current = Array.from(this.select.options, option => [option.value, option.text]);
    if (JSON.stringify(current) !== JSON.stringify(choices)) {
      this.select.replaceChildren(
        ...choices.map(([choice, text]) => {
          const option = document.createElement('option');
          option.value = choice;
          option.textContent = text;
          return option;
        })
      );
    }
    this.select.value = value;
  }

  /** Draw the model's current choice. */
  protected abstract _sync(): void;

  protected model: ThreadsModel;
}

/** All threads, only the active ones, or only the blocked ones. */
export class ThreadStateFilter extends FilterSelect {
  constructor(model: ThreadsModel, trans: TranslationBundle) {
    super(model, `${CLASS}-stateFilter`, trans.__('Show threads in this state'));
    this._labels = {
      all: trans.__('All threads'),
      active: trans.__('Active'),
      blocked: trans.__('Blocked')
    };
    this._sync();
  }

  handleEvent(): void {
    const value = STATE_CHOICES.find(choice => choice === this.select.value) ?? 'all';
    this.model.setFilter({ state: value });
  }

  protected _sync(): void {
    this.setOptions(
      STATE_CHOICES.map(choice => [choice, this._labels[choice]]),
      this.model.filter.state
    );
  }

  private _labels: Record<StateChoice, string>;
}

/** Any module, or only the threads blocked in one module of the sample. */
export class BlockingModuleFilter extends FilterSelect {
  constructor(model: ThreadsModel, trans: TranslationBundle) {
    super(model, `${CLASS}-moduleFilter`, trans.__('Show only threads blocked in this module'));
    this._trans = trans;
    this._sync();
  }

  handleEvent(): void {
    const value = this.select.value;
    this.model.setFilter({ module: value === ANY_MODULE ? null : value });
  }

  protected _sync(): void {
    const trans = this._trans;
    const choices: Array<[string, string]> = [
      [ANY_MODULE, trans.__('Any blocking module')],
      ...this.model.blockingModules.map((module): [string, string] => [module, moduleLabel(module, trans)])
    ];
    this.setOptions(choices, this.model.filter.module ?? ANY_MODULE);
  }

  private _trans: TranslationBundle;
}
