import { framePromise } from '@jupyterlab/testing';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import type { IRow } from '../kernel/protocol';
import { builtinPatterns, PatternRegistry } from '../patterns/registry';
import { VariableValuesModel } from './model';
import { VariableValuesPanel } from './panel';
import { row } from '../live/testing/fakes';

function tensorRow(name: string, size: number): IRow {
  return row(name, {
    type: 'Tensor',
    kind: 'tensor',
    summary: `Tensor[${size}] float32 cpu`,
    size
  });
}

describe('VariableValuesPanel', () => {
  let model: VariableValuesModel;
  let panel: VariableValuesPanel;
  let refreshed: number;

  beforeEach(() => {
    model = new VariableValuesModel();
    const commands = new CommandRegistry();
    refreshed = 0;
    commands.addCommand('test:refresh', {
      label: 'Refresh',
      execute: () => {
        refreshed++;
      }
    });
    commands.addCommand('test:scopes', {
      label: 'Group by Scope',
      isToggled: () => model.groupByScope,
      execute: () => {
        model.groupByScope = !model.groupByScope;
      }
    });
    const patterns = new PatternRegistry({
      patterns: builtinPatterns(nullTranslator.load('jupyterlab_ml_debugger'))
    });
    panel = new VariableValuesPanel({
      model,
      commands,
      commandIds: {
        refresh: 'test:refresh',
        toggleScopeGroups: 'test:scopes',
        toggleRow: 'test:toggle',
        showRepr: 'test:repr',
        revealValue: 'test:reveal'
      },
      pattern: patterns.require(PatternRegistry.VARIABLE_VALUE)
    });
    Widget.attach(panel, document.body);
    // The debugger sidebar shows a section's toolbar in its title bar, outside
    // the panel's own node.
    Widget.attach(panel.toolbar, document.body);
    model.setValues({
      mode: 'globals',
      scopeLabel: 'globals',
      truncated: false,
      groups: [
        {
          id: 'globals',
          label: null,
          historyScope: 'globals',
          rows: [tensorRow('weights', 4096), tensorRow('bias', 64), tensorRow('activations', 1 << 20)]
        }
      ]
    });
  });

  afterEach(() => {
    panel.toolbar.dispose();
    panel.dispose();
    model.dispose();
  });

  const shown = () =>
    Array.from(panel.node.querySelectorAll<HTMLElement>('.jp-MLDebuggerValues-row')).map(
      n => n.dataset.name
    );

  it('is titled by its pattern, with the explanation on hover', () => {
    expect(panel.title.label).toBe('Variable Values');
    expect(panel.title.caption).toMatch(/^Variable Value: Each value of a frame/);
    expect(
      panel.node.querySelector('.jp-MLDebuggerValues-subtitle')!.textContent
    ).toMatch(/NaN\/Inf counts/);
  });

  it('narrows rows as the user types in the filter box', () => {
    const input = panel.node.querySelector<HTMLInputElement>(
      '.jp-MLDebuggerValues-filter'
    )!;
    input.value = 'WEI';
    input.dispatchEvent(new Event('input'));
    expect(shown()).toEqual(['weights']);
  });

  it('sorts by size or name from the sort box, and follows the model', () => {
    const select = panel.node.querySelector<HTMLSelectElement>(
      '.jp-MLDebuggerValues-sort'
    )!;
    expect(shown()).toEqual(['activations', 'bias', 'weights']);
    select.value = 'size:descending';
    select.dispatchEvent(new Event('change'));
    expect(shown()).toEqual(['activations', 'weights', 'bias']);
    model.sortKey = 'name';
    expect(select.value).toBe('name:ascending');
  });

  it('has a refresh button that runs the refresh command', async () => {
    // The toolbar button is a React component that renders asynchronously.
    let button: HTMLElement | null = null;
    for (let i = 0; i < 20 && !button; i++) {
      await framePromise();
      button = panel.toolbar.node.querySelector<HTMLElement>(
        '[data-command="test:refresh"]'
      );
    }
    expect(button).not.toBeNull();
    button!.click();
    expect(refreshed).toBe(1);
  });

  it('has a group-by-scope button that switches the grouping', async () => {
    let button: HTMLElement | null = null;
    for (let i = 0; i < 20 && !button; i++) {
      await framePromise();
      button = panel.toolbar.node.querySelector<HTMLElement>(
        '[data-command="test:scopes"]'
      );
    }
    expect(button).not.toBeNull();
    button!.click();
    expect(model.groupByScope).toBe(true);
  });

  it('tells the model whether the section is on screen', () => {
    expect(model.isShown).toBe(true);
    panel.hide();
    expect(model.isShown).toBe(false);
    panel.show();
    expect(model.isShown).toBe(true);
    Widget.detach(panel);
    expect(model.isShown).toBe(false);
  });
});
