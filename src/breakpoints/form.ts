/**
 * The body of the "Edit Breakpoint" dialog: one small form for a breakpoint's
 * condition, hit count, log message and actions, with the parser's message
 * under each field that does not compile.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { IBreakpointActions } from './actions';
import type { BreakpointActionsService } from './service';
import type { FieldErrors, FieldName } from './validation';
import { validateActions } from './validation';

const FORM_CLASS = 'jp-MLDebuggerBreakpointForm';
const ERROR_CLASS = 'jp-MLDebuggerBreakpointForm-error';

/**
 * The form; the dialog reads `getValue()` when the user saves.
 */
export class BreakpointForm extends Widget {
  constructor(options: BreakpointForm.IOptions) {
    super();
    this._bridge = options.bridge;
    this._trans = options.translator.load('jupyterlab_ml_debugger');
    this.addClass(FORM_CLASS);
    this._build(options.actions);
    this.setErrors(options.errors ?? {});
    this.node.addEventListener('change', () => void this.validate());
  }

  /** The actions as the form now has them. */
  getValue(): IBreakpointActions {
    const text = (el: HTMLInputElement) =>
      el.value.trim() === '' ? null : el.value;
    const mode = this._hitMode.value;
    return {
      condition: text(this._condition),
      hit:
        mode === 'eq' || mode === 'ge' || mode === 'every'
          ? { mode, n: Number(this._hitN.value) }
          : null,
      log: text(this._log),
      record: this._record.value
        .split('\n')
        .map(r => r.trim())
        .filter(r => r !== ''),
      checkTensors: this._checkTensors.checked,
      stopWhenChanged: text(this._stopWhenChanged),
      continue: this._continue.checked,
      once: this._once.checked
    };
  }

  /** Check every field in the kernel and show what is wrong; true when all is right. */
  async validate(): Promise<boolean> {
    const errors = await validateActions(this.getValue(), this._bridge, this._trans);
    if (this.isDisposed) {
      return false;
    }
    this.setErrors(errors);
    return Object.keys(errors).length === 0;
  }

  /** Show a message under each field that has one, and clear the others. */
  setErrors(errors: FieldErrors): void {
    for (const [field, node] of this._errors) {
      const message = errors[field] ?? '';
      node.textContent = message;
      node.hidden = message === '';
    }
  }

  private _build(actions: IBreakpointActions): void {
    const trans = this._trans;
    this._condition = this._text(
      'condition',
      trans.__('Condition'),
      actions.condition,
      trans.__('a Python expression, e.g. i % 10 == 3')
    );
    const hitRow = this._row('hit', trans.__('Hit count'));
    this._hitMode = document.createElement('select');
    for (const [value, label] of [
      ['', trans.__('every hit')],
      ['eq', trans.__('on hit N only')],
      ['ge', trans.__('from hit N on')],
      ['every', trans.__('every Nth hit')]
    ]) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      this._hitMode.appendChild(option);
    }
    this._hitMode.value = actions.hit?.mode ?? '';
    this._hitMode.setAttribute('aria-label', trans.__('Hit count mode'));
    this._hitN = document.createElement('input');
    this._hitN.type = 'number';
    this._hitN.min = '1';
    this._hitN.value = String(actions.hit?.n ?? 1);
    this._hitN.setAttribute('aria-label', trans.__('N'));
    hitRow.append(this._hitMode, this._hitN);
    this._log = this._text(
      'log',
      trans.__('Log message'),
      actions.log,
      trans.__('text with {expression} parts, e.g. loss={loss.item()}')
    );
    this._record = document.createElement('textarea');
    this._record.rows = 3;
    this._record.value = actions.record.join('\n');
    this._record.placeholder = trans.__('one expression per line, e.g. loss.item()');
    this._field('record', trans.__('Record'), this._record);
    this._checkTensors = this._check(
      trans.__('Check tensors: stop only when one holds NaN/Inf'),
      actions.checkTensors
    );
    this._stopWhenChanged = this._text(
      'stopWhenChanged',
      trans.__('Stop when changed'),
      actions.stopWhenChanged,
      trans.__('an expression, e.g. model.fc.weight')
    );
    this._continue = this._check(
      trans.__('Continue: never stop, trace only'),
      actions.continue
    );
    this._once = this._check(
      trans.__('Remove after the first hit'),
      actions.once
    );
  }

  private _row(field: FieldName, label: string): HTMLElement {
    const row = document.createElement('label');
    row.className = `${FORM_CLASS}-field`;
    row.dataset.field = field;
    const title = document.createElement('span');
    title.className = `${FORM_CLASS}-label`;
    title.textContent = label;
    row.appendChild(title);
    this.node.appendChild(row);
    const error = document.createElement('div');
    error.className = ERROR_CLASS;
    error.dataset.field = field;
    error.setAttribute('role', 'alert');
    this.node.appendChild(error);
    this._errors.set(field, error);
    return row;
  }

  private _field(field: FieldName, label: string, input: HTMLElement): void {
    input.setAttribute('name', field);
    this._row(field, label).appendChild(input);
  }

  private _text(
    field: FieldName,
    label: string,
    value: string | null,
    placeholder: string
  ): HTMLInputElement {
    const input = document.createElement('input');
    input.type = 'text';
    input.value = value ?? '';
    input.placeholder = placeholder;
    input.spellcheck = false;
    this._field(field, label, input);
    return input;
  }

  private _check(label: string, checked: boolean): HTMLInputElement {
    const row = document.createElement('label');
    row.className = `${FORM_CLASS}-check`;
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = checked;
    row.append(input, document.createTextNode(label));
    this.node.appendChild(row);
    return input;
  }

  private _bridge: BreakpointActionsService.IBridge | null;
  private _trans: TranslationBundle;
  private _errors = new Map<FieldName, HTMLElement>();
  private _condition!: HTMLInputElement;
  private _hitMode!: HTMLSelectElement;
  private _hitN!: HTMLInputElement;
  private _log!: HTMLInputElement;
  private _record!: HTMLTextAreaElement;
  private _checkTensors!: HTMLInputElement;
  private _stopWhenChanged!: HTMLInputElement;
  private _continue!: HTMLInputElement;
  private _once!: HTMLInputElement;
}

export namespace BreakpointForm {
  export interface IOptions {
    /** The breakpoint's actions when the form opens. */
    actions: IBreakpointActions;
    /** The bridge of the notebook's kernel, for validation; null without one. */
    bridge: BreakpointActionsService.IBridge | null;
    /** Messages to show at once, from an earlier refused save. */
    errors?: FieldErrors;
    translator: ITranslator;
  }
}
