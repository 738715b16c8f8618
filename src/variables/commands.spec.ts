import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import type { IRow } from '../kernel/protocol';
import { addValuesCommands, CommandIDs } from '../commands';
import { VariableValuesModel } from './model';
import { rowKey } from './rows';
import type { VariableValuesService } from './service';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

function row(name: string, expandable = false, masked = false): IRow {
  return {
    name,
    type: 'list',
    kind: 'container',
    summary: 'list[2] of int',
    size: 72,
    nonfinite: false,
    expandable,
    path: [{ kind: 'name', name }],
    stats: null,
    error: null,
    masked
  };
}

/** Only what the commands call; each action's effect is visible on the model. */
class FakeService {
  constructor(readonly model: VariableValuesModel) {}
  refreshError: Error | null = null;
  refreshed = 0;
  async refresh(): Promise<void> {
    this.refreshed++;
    if (this.refreshError) {
      throw this.refreshError;
    }
  }
  async expand(r: IRow): Promise<void> {
    this.model.setChildren(rowKey(r.path), { status: 'ready', rows: [], truncated: false, message: '' });
  }
  collapse(r: IRow): void {
    this.model.collapse(rowKey(r.path));
  }
  async showRepr(r: IRow): Promise<void> {
    this.model.setRepr(rowKey(r.path), { status: 'ready', text: '[1, 2]', truncated: false });
  }
  async reveal(r: IRow): Promise<void> {
    this.model.setRevealed(rowKey(r.path), { ...r, summary: "'tok-123'", masked: false });
  }
}

describe('Variable Values commands', () => {
  let commands: CommandRegistry;
  let model: VariableValuesModel;
  let service: FakeService;
  const batch = row('batch', true);
  const key = rowKey(batch.path);

  beforeEach(() => {
    commands = new CommandRegistry();
    model = new VariableValuesModel();
    service = new FakeService(model);
    addValuesCommands(commands, service as unknown as VariableValuesService, trans);
    model.setValues({
      mode: 'globals',
      scopeLabel: 'globals',
      truncated: false,
      groups: [
        { id: 'g', label: null, historyScope: 'g', rows: [batch, row('flat'), row('token', false, true)] }
      ]
    });
  });

  afterEach(() => {
    model.dispose();
    jest.restoreAllMocks();
  });

  it('enables Refresh only when there is a kernel, and tells buttons when that changes', () => {
    const changed: string[] = [];
    commands.commandChanged.connect((_, c) => c.id && changed.push(c.id));
    expect(commands.isEnabled(CommandIDs.refreshValues)).toBe(false);
    model.hasKernel = true;
    expect(commands.isEnabled(CommandIDs.refreshValues)).toBe(true);
    expect(changed).toContain(CommandIDs.refreshValues);
  });

  it('reports a failed refresh as a notification with its sentence', async () => {
    const error = jest.spyOn(Notification, 'error');
    service.refreshError = new Error('The kernel died. Restart it from the Kernel menu to see values again.');
    await commands.execute(CommandIDs.refreshValues);
    expect(error).toHaveBeenCalledWith(
      'The kernel died. Restart it from the Kernel menu to see values again.',
      expect.anything()
    );
  });

  it('expands and collapses a row by key, and only expandable rows', async () => {
    expect(commands.isEnabled(CommandIDs.toggleValueRow, { key: rowKey(row('flat').path) })).toBe(false);
    expect(commands.label(CommandIDs.toggleValueRow, { key })).toBe('Expand Value');
    await commands.execute(CommandIDs.toggleValueRow, { key });
    expect(model.children(key)).toBeDefined();
    expect(commands.label(CommandIDs.toggleValueRow, { key })).toBe('Collapse Value');
    await commands.execute(CommandIDs.toggleValueRow, { key });
    expect(model.children(key)).toBeUndefined();
  });

  it('shows and hides a repr, and is disabled for a row that is gone', async () => {
    await commands.execute(CommandIDs.showRepr, { key });
    expect(model.repr(key)?.text).toBe('[1, 2]');
    expect(commands.label(CommandIDs.showRepr, { key })).toBe('Hide Repr');
    await commands.execute(CommandIDs.showRepr, { key });
    expect(model.repr(key)).toBeUndefined();
    expect(commands.isEnabled(CommandIDs.showRepr, { key: '[{"kind":"name","name":"gone"}]' })).toBe(false);
  });

  it('reveals a masked value and masks it again; nothing to reveal in an unmasked row', async () => {
    const secret = rowKey(row('token').path);
    expect(commands.isEnabled(CommandIDs.revealValue, { key })).toBe(false);
    expect(commands.label(CommandIDs.revealValue, { key: secret })).toBe('Reveal Value');
    await commands.execute(CommandIDs.revealValue, { key: secret });
    expect(model.revealed(secret)?.summary).toBe("'tok-123'");
    expect(commands.label(CommandIDs.revealValue, { key: secret })).toBe('Mask Value Again');
    await commands.execute(CommandIDs.revealValue, { key: secret });
    expect(model.revealed(secret)).toBeUndefined();
  });

  it('groups by scope and back, its label and toggled state following', async () => {
    expect(commands.label(CommandIDs.toggleValuesScopeGroups)).toBe('Group Variable Values as Local, Enclosing and Global');
    expect(commands.isToggled(CommandIDs.toggleValuesScopeGroups)).toBe(false);
    await commands.execute(CommandIDs.toggleValuesScopeGroups);
    expect(model.groupByScope).toBe(true);
    expect(commands.label(CommandIDs.toggleValuesScopeGroups)).toBe('Ungroup Variable Values');
    expect(commands.isToggled(CommandIDs.toggleValuesScopeGroups)).toBe(true);
    await commands.execute(CommandIDs.toggleValuesScopeGroups);
    expect(model.groupByScope).toBe(false);
  });

  it('toggles the sort between name and size', async () => {
    expect(commands.label(CommandIDs.toggleValuesSort)).toBe('Sort Variable Values by Size');
    await commands.execute(CommandIDs.toggleValuesSort);
    expect(model.sortKey).toBe('size');
    expect(model.visibleRows[0].name).toBe('batch');
  });
});
