import { nullTranslator } from '@jupyterlab/translation';
import type { IOperations } from '../kernel/protocol';
import { ProbeError } from '../kernel/protocol';
import { NO_ACTIONS } from './actions';
import { BreakpointForm } from './form';
import { FakeBridge } from './testing/fakes';
import { validateActions } from './validation';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

// What the probe's parser answers, as captured from `validate`.
function parserReply(_: string, args: IOperations['validate']['args']): unknown {
  if (args.expression.includes('==)')) {
    return { ok: false, message: 'invalid syntax', line: 1, offset: 6 };
  }
  if (args.mode === 'log' && args.expression.includes('{')) {
    return args.expression.includes('}')
      ? { ok: true, message: null, line: null, offset: null }
      : { ok: false, message: "'{' was never closed", line: 1, offset: 5 };
  }
  return { ok: true, message: null, line: null, offset: null };
}

function errorOf(form: BreakpointForm, field: string): HTMLElement {
  return form.node.querySelector(
    `.jp-MLDebuggerBreakpointForm-error[data-field="${field}"]`
  ) as HTMLElement;
}

function input(form: BreakpointForm, field: string): HTMLInputElement {
  return form.node.querySelector(`[name="${field}"]`) as HTMLInputElement;
}

describe('BreakpointForm', () => {
  let bridge: FakeBridge;
  beforeEach(() => {
    bridge = new FakeBridge();
    bridge.reply = (op, args) =>
      parserReply(op, args as IOperations['validate']['args']);
  });

  it("shows the parser's message under the field and refuses until it compiles", async () => {
    const form = new BreakpointForm({ actions: NO_ACTIONS, bridge, translator: nullTranslator });
    input(form, 'condition').value = 'i ==)';
    input(form, 'log').value = 'loss={loss';
    expect(await form.validate()).toBe(false);
    expect(errorOf(form, 'condition').textContent).toBe('invalid syntax (column 6)');
    expect(errorOf(form, 'log').textContent).toBe("'{' was never closed (column 5)");
    expect(bridge.calls).toEqual([
      { op: 'validate', args: { expression: 'i ==)', mode: 'eval' } },
      { op: 'validate', args: { expression: 'loss={loss', mode: 'log' } }
    ]);

    input(form, 'condition').value = 'i == 3';
    input(form, 'log').value = 'loss={loss}';
    expect(await form.validate()).toBe(true);
    expect(errorOf(form, 'condition').hidden).toBe(true);
    expect(form.getValue()).toEqual({ ...NO_ACTIONS, condition: 'i == 3', log: 'loss={loss}' });
    form.dispose();
  });

  it('checks each recorded expression and names the bad one', async () => {
    const form = new BreakpointForm({
      actions: { ...NO_ACTIONS, record: ['loss.item()', 'a ==)'] },
      bridge,
      translator: nullTranslator
    });
    expect(await form.validate()).toBe(false);
    expect(errorOf(form, 'record').textContent).toBe('a ==): invalid syntax (column 6)');
    form.dispose();
  });

  it('validates in the kernel when a field changes', async () => {
    const form = new BreakpointForm({ actions: NO_ACTIONS, bridge, translator: nullTranslator });
    const condition = input(form, 'condition');
    condition.value = 'x ==)';
    condition.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(errorOf(form, 'condition').textContent).toBe('invalid syntax (column 6)');
    form.dispose();
  });

  it('shows the errors of a refused save when it opens again', () => {
    const form = new BreakpointForm({
      actions: { ...NO_ACTIONS, condition: 'i ==)' },
      bridge,
      errors: { condition: 'invalid syntax (column 6)' },
      translator: nullTranslator
    });
    expect(errorOf(form, 'condition').hidden).toBe(false);
    expect(errorOf(form, 'log').hidden).toBe(true);
    form.dispose();
  });
});

describe('validateActions', () => {
  it('says so when the kernel cannot check', async () => {
    const bridge = new FakeBridge();
    bridge.reply = () => {
      throw new ProbeError('kernel-dead', 'The kernel died.');
    };
    const errors = await validateActions({ ...NO_ACTIONS, condition: 'x' }, bridge, trans);
    expect(errors.condition).toBe(
      'The kernel could not check this (The kernel died.). Start the kernel and try again.'
    );
  });

  it('refuses a hit count below 1 without asking the kernel', async () => {
    const bridge = new FakeBridge();
    const errors = await validateActions(
      { ...NO_ACTIONS, hit: { mode: 'every', n: 0 } },
      bridge,
      trans
    );
    expect(errors.hit).toBe('The hit count must be a whole number of at least 1.');
    expect(bridge.calls).toEqual([]);
  });
});
