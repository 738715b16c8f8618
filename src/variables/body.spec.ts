import { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import type { IRow } from '../kernel/protocol';
import { VariableValuesBody } from './body';
import { VariableValuesModel } from './model';
import { rowKey } from './rows';
import { row } from '../live/testing/fakes';

function globals(rows: IRow[]): VariableValuesModel.IValues {
  return {
    mode: 'globals',
    scopeLabel: 'globals',
    truncated: false,
    groups: [{ id: 'globals', label: null, historyScope: 'globals', rows }]
  };
}

describe('VariableValuesBody', () => {
  let model: VariableValuesModel;
  let commands: CommandRegistry;
  let executed: Array<[string, ReadonlyPartialJSONObject]>;
  let body: VariableValuesBody;

  const rowNode = (name: string) =>
    body.node.querySelector<HTMLElement>(
      `.jp-MLDebuggerValues-row[data-name="${name}"]`
    );
  const shownNames = () =>
    Array.from(body.node.querySelectorAll<HTMLElement>('.jp-MLDebuggerValues-row')).map(
      n => n.dataset.name
    );
  const notice = () =>
    body.node.querySelector<HTMLElement>('.jp-MLDebuggerValues-message')!;

  beforeEach(() => {
    model = new VariableValuesModel();
    commands = new CommandRegistry();
    executed = [];
    for (const id of ['test:toggle', 'test:repr', 'test:reveal']) {
      commands.addCommand(id, {
        execute: args => {
          executed.push([id, args]);
        }
      });
    }
    body = new VariableValuesBody({
      model,
      commands,
      commandIds: { toggleRow: 'test:toggle', showRepr: 'test:repr', revealValue: 'test:reveal' }
    });
    Widget.attach(body, document.body);
  });

  afterEach(() => {
    body.dispose();
    model.dispose();
  });

  it('shows a string holding HTML as that text, never as markup', () => {
    const evil = '<img src=x onerror=alert(1)>';
    model.setValues(globals([row(evil, { kind: 'text', summary: evil })]));
    const node = body.node.querySelector<HTMLElement>('.jp-MLDebuggerValues-row')!;
    expect(body.node.querySelector('img')).toBeNull();
    expect(node.querySelector('.jp-MLDebuggerValues-name')!.textContent).toBe(evil);
    expect(node.querySelector('.jp-MLDebuggerValues-summary')!.textContent).toBe(evil);

    model.setRepr(rowKey([{ kind: 'name', name: evil }]), {
      status: 'ready',
      text: `<b>${evil}</b>`,
      truncated: false
    });
    expect(body.node.querySelector('b')).toBeNull();
    expect(body.node.querySelector('.jp-MLDebuggerValues-repr')!.textContent).toBe(
      `<b>${evil}</b>`
    );
  });

  it('marks rows holding NaN or Inf and shows their summary', () => {
    model.setValues(
      globals([
        row('logits', {
          kind: 'tensor',
          nonfinite: true,
          summary: 'Tensor[8, 10] float32 cpu min -3.1 max 4.2 nan 2 inf 0'
        }),
        row('ok')
      ])
    );
    expect(rowNode('logits')!.classList).toContain('jp-MLDebuggerValues-row-nonfinite');
    expect(rowNode('logits')!.textContent).toContain('NaN/Inf');
    expect(rowNode('logits')!.textContent).toContain('nan 2');
    expect(rowNode('ok')!.classList).not.toContain('jp-MLDebuggerValues-row-nonfinite');
  });

  it('runs the row commands with the row key from the twisty and repr buttons', () => {
    const batch = row('batch', { kind: 'container', expandable: true });
    model.setValues(globals([batch, row('n')]));
    expect(rowNode('n')!.querySelector('button[data-action="toggle"]')).toBeNull();
    rowNode('batch')!.querySelector<HTMLElement>('[data-action="toggle"]')!.click();
    rowNode('batch')!.querySelector<HTMLElement>('[data-action="repr"]')!.click();
    expect(executed).toEqual([
      ['test:toggle', { key: rowKey(batch.path) }],
      ['test:repr', { key: rowKey(batch.path) }]
    ]);
  });

  it('keeps keyboard focus on a row button when the list is redrawn', () => {
    const batch = row('batch', { kind: 'container', expandable: true });
    model.setValues(globals([batch]));
    rowNode('batch')!.querySelector<HTMLElement>('[data-action="toggle"]')!.focus();
    model.setChildren(rowKey(batch.path), { status: 'loading', rows: [], truncated: false, message: '' });
    const focused = document.activeElement as HTMLElement;
    expect(focused.dataset.action).toBe('toggle');
    expect(focused.closest<HTMLElement>('.jp-MLDebuggerValues-row')!.dataset.name).toBe('batch');
  });

  it('shows loaded children indented below their row, and loading or failure in words', () => {
    const batch = row('batch', { kind: 'container', expandable: true });
    model.setValues(globals([batch]));
    const key = rowKey(batch.path);
    model.setChildren(key, { status: 'loading', rows: [], truncated: false, message: '' });
    expect(rowNode('batch')!.getAttribute('aria-expanded')).toBe('true');
    expect(body.node.textContent).toContain('Loading…');

    model.setChildren(key, {
      status: 'ready',
      truncated: true,
      message: '',
      rows: [row('[0]', { path: [...batch.path, { kind: 'index', index: 0 }] })]
    });
    expect(rowNode('[0]')!.getAttribute('aria-level')).toBe('2');
    expect(body.node.textContent).toContain('More items were left out.');

    model.setChildren(key, {
      status: 'error',
      rows: [],
      truncated: false,
      message: 'This value no longer exists in its scope.'
    });
    expect(body.node.textContent).toContain('This value no longer exists in its scope.');
  });

  it('groups live rows under a header per running frame', () => {
    model.setValues({
      mode: 'live',
      scopeLabel: 'live: 1 running frame',
      truncated: false,
      groups: [
        { id: 'frame:0', label: 'train line 4 (MainThread)', historyScope: 'train', rows: [row('loss')] },
        { id: 'globals', label: 'Globals', historyScope: 'globals', rows: [row('model')] }
      ]
    });
    const headers = Array.from(body.node.querySelectorAll('.jp-MLDebuggerValues-groupHeader')).map(h => h.textContent);
    expect(headers).toEqual(['train line 4 (MainThread)', 'Globals']);
    expect(shownNames()).toEqual(['loss', 'model']);
    expect(body.node.querySelector('.jp-MLDebuggerValues-scope')!.textContent).toContain(
      'live: 1 running frame'
    );
  });

  it('heads scope groups and flags a name that shadows a builtin or a global', () => {
    model.setValues({
      mode: 'stopped',
      scopeLabel: 'frame step (line 7)',
      truncated: false,
      groups: [
        {
          id: 'stopped:local',
          label: 'Local',
          historyScope: 'step',
          rows: [row('list', { scope: 'local', shadows: 'builtin' }), row('lr', { scope: 'local', shadows: 'global' })]
        },
        {
          id: 'stopped:global',
          label: 'Global',
          historyScope: 'globals',
          rows: [row('lr', { scope: 'global', shadows: null, path: [{ kind: 'global', name: 'lr' }] })]
        }
      ]
    });
    const headers = Array.from(body.node.querySelectorAll('.jp-MLDebuggerValues-groupHeader')).map(h => h.textContent);
    expect(headers).toEqual(['Local', 'Global']);
    const flags = Array.from(body.node.querySelectorAll<HTMLElement>('.jp-MLDebuggerValues-shadow'));
    expect(flags.map(f => [f.closest<HTMLElement>('.jp-MLDebuggerValues-row')!.dataset.name, f.textContent])).toEqual([
      ['list', 'shadows builtin'],
      ['lr', 'shadows global']
    ]);
    expect(flags[1].title).toMatch(/This local hides the global of the same name/);
  });

  it('draws a sparkline once a scalar has been seen twice', () => {
    model.setValues(globals([row('loss', { summary: '0.9' })]));
    expect(rowNode('loss')!.querySelector('svg')).toBeNull();
    model.setValues(globals([row('loss', { summary: '0.4' })]));
    expect(rowNode('loss')!.querySelector('svg path')).not.toBeNull();
  });

  it('says in plain words why there is nothing to show', () => {
    model.setUnsupported('Live view and value summaries need a kernel with subshells: ipykernel 7 or newer.');
    expect(notice().textContent).toContain('ipykernel 7 or newer');
    expect(shownNames()).toEqual([]);

    model.setLoading('stopped', 'frame f (line 2)');
    expect(notice().textContent).toBe('Loading values…');

    model.setValues(globals([]));
    expect(notice().textContent).toBe('No values in this scope.');

    model.setValues(globals([row('a')]));
    expect(notice().hidden).toBe(true);
    model.filter = 'zzz';
    expect(notice().textContent).toBe('No values match "zzz".');
  });

  it('keeps rows under an error sentence when a refresh fails', () => {
    model.setValues(globals([row('a')]));
    model.setError('The kernel died. Restart it from the Kernel menu to see values again.');
    expect(notice().classList).toContain('jp-MLDebuggerValues-message-error');
    expect(notice().textContent).toContain('Restart it from the Kernel menu');
    expect(shownNames()).toEqual(['a']);
  });

  it('offers Reveal on a masked row only, and shows the revealed value in its place', () => {
    const masked = '•••••• (secret: masked)';
    model.setValues(
      globals([row('api_token', { kind: 'text', summary: masked, masked: true }), row('lr')])
    );
    const reveal = () =>
      rowNode('api_token')!.querySelector<HTMLButtonElement>('.jp-MLDebuggerValues-revealButton');
    const summary = () =>
      rowNode('api_token')!.querySelector('.jp-MLDebuggerValues-summary')!;
    expect(rowNode('lr')!.querySelector('.jp-MLDebuggerValues-revealButton')).toBeNull();
    expect(summary().textContent).toBe(masked);
    expect(reveal()!.textContent).toBe('reveal');

    reveal()!.click();
    const key = rowKey([{ kind: 'name', name: 'api_token' }]);
    expect(executed).toEqual([['test:reveal', { key }]]);

    model.setRevealed(key, row('api_token', { kind: 'text', summary: "'tok-123'" }));
    expect(summary().textContent).toBe("'tok-123'");
    expect(reveal()!.textContent).toBe('mask');
    model.setValues(
      globals([row('api_token', { kind: 'text', summary: masked, masked: true })])
    );
    expect(summary().textContent).toBe(masked);
  });
});
