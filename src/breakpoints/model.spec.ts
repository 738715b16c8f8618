import { NotebookModel } from '@jupyterlab/notebook';
import type { IBreakpointActions } from './actions';
import { NO_ACTIONS } from './actions';
import { mapLines } from './edits';
import { METADATA_KEY } from './metadata';
import { BreakpointActionStore } from './model';
import { NotebookBreakpoints } from './notebook';

const CONDITION: IBreakpointActions = { ...NO_ACTIONS, condition: 'i == 3' };

const SOURCE = 'a = 1\nfor i in range(10):\n    x = i\nprint(x)';

describe('mapLines', () => {
  it('moves a line down when lines are inserted above it', () => {
    // "b = 2\n" typed at the start of line 1
    expect(mapLines(SOURCE, [{ insert: 'b = 2\n' }], [1, 3])).toEqual([2, 4]);
  });

  it('moves a line up when a line above it is deleted', () => {
    expect(mapLines(SOURCE, [{ delete: 6 }], [3, 4])).toEqual([2, 3]);
  });

  it('leaves a line alone when the edit is below it or within it', () => {
    expect(
      mapLines(SOURCE, [{ retain: 30 }, { insert: 'y' }], [1, 2, 3])
    ).toEqual([1, 2, 3]);
  });

  it('drops a line whose start the edit deleted', () => {
    // delete from the end of line 2 into line 3: line 3's start is gone
    expect(mapLines(SOURCE, [{ retain: 24 }, { delete: 3 }], [3])).toEqual([
      null
    ]);
  });
});

describe('BreakpointActionStore', () => {
  let store: BreakpointActionStore;
  beforeEach(() => {
    store = new BreakpointActionStore();
  });
  afterEach(() => store.dispose());

  it('keeps a breakpoint and its actions on its code through edits above it', () => {
    const bp = store.ensure('c1', 3);
    store.setActions(bp.id, CONDITION);
    store.applyEdit('c1', SOURCE, [{ insert: '# setup\n# more\n' }]);
    expect(store.at('c1', 5)?.id).toBe(bp.id);
    expect(store.at('c1', 5)?.actions.condition).toBe('i == 3');

    const moved = SOURCE.replace('', '# setup\n# more\n');
    store.applyEdit('c1', moved, [{ delete: '# setup\n'.length }]);
    expect(store.at('c1', 4)?.id).toBe(bp.id);
  });

  it('drops the breakpoint of a deleted line', () => {
    store.ensure('c1', 3);
    store.applyEdit('c1', SOURCE, [{ retain: 24 }, { delete: 10 }]);
    expect(store.cell('c1')).toEqual([]);
  });

  it('forgets every breakpoint of a removed cell, and says which cell changed', () => {
    store.ensure('c1', 1);
    store.ensure('c2', 2);
    const changes: string[][] = [];
    store.changed.connect((_, c) => changes.push(c.cellIds));
    store.removeCell('c1');
    expect(store.all.map(b => b.cellId)).toEqual(['c2']);
    expect(changes).toEqual([['c1']]);
  });

  it('syncs to the gutter lines, keeping ids and actions of breakpoints still there', () => {
    const bp = store.ensure('c1', 3);
    store.setActions(bp.id, CONDITION);
    store.ensure('c1', 4);
    store.syncLines('c1', [1, 3]);
    expect(store.cell('c1').map(b => b.line)).toEqual([1, 3]);
    expect(store.at('c1', 3)).toMatchObject({ id: bp.id, actions: CONDITION });
    expect(store.withActions.map(b => b.id)).toEqual([bp.id]);
  });
});

describe('NotebookBreakpoints', () => {
  function notebook(): NotebookModel {
    const model = new NotebookModel();
    model.sharedModel.insertCells(0, [
      { cell_type: 'code', source: SOURCE },
      { cell_type: 'code', source: 'y = 2' }
    ]);
    return model;
  }

  it('writes every breakpoint to cell metadata and reads it back in a reopened notebook', () => {
    const model = notebook();
    const bound = new NotebookBreakpoints({ model });
    const cell = model.cells.get(0);
    const bp = bound.store.ensure(cell.id, 3);
    bound.store.setActions(bp.id, {
      ...CONDITION,
      hit: { mode: 'every', n: 10 },
      log: 'x={x}',
      record: ['x * 2']
    });
    bound.store.ensure(cell.id, 4);
    expect(cell.getMetadata(METADATA_KEY)).toEqual({
      breakpoints: [
        {
          id: bp.id,
          line: 3,
          condition: 'i == 3',
          hit: { mode: 'every', n: 10 },
          log: 'x={x}',
          record: ['x * 2']
        },
        { id: expect.any(String), line: 4 }
      ]
    });

    const reopened = new NotebookModel();
    reopened.fromJSON(model.toJSON());
    const again = new NotebookBreakpoints({ model: reopened });
    // The reopened cells may get new ids; each breakpoint keeps its own.
    const saved = (n: NotebookBreakpoints) =>
      n.store.all.map(({ id, line, actions }) => ({ id, line, actions }));
    expect(saved(again)).toEqual(saved(bound));
    bound.dispose();
    again.dispose();
  });

  it('moves breakpoints with edits of the cell text and saves the new line', () => {
    const model = notebook();
    const bound = new NotebookBreakpoints({ model });
    const cell = model.cells.get(0);
    bound.store.ensure(cell.id, 3);
    cell.sharedModel.updateSource(0, 0, 'import os\n');
    expect(bound.store.cell(cell.id).map(b => b.line)).toEqual([4]);
    expect(cell.getMetadata(METADATA_KEY).breakpoints[0].line).toBe(4);
    bound.dispose();
  });

  it('drops the breakpoints of a deleted cell', () => {
    const model = notebook();
    const bound = new NotebookBreakpoints({ model });
    const [first, second] = [model.cells.get(0), model.cells.get(1)];
    bound.store.ensure(first.id, 1);
    bound.store.ensure(second.id, 1);
    model.sharedModel.deleteCell(0);
    expect(bound.store.all.map(b => b.cellId)).toEqual([second.id]);
    bound.dispose();
  });

  it('takes breakpoints the user edited in the metadata', () => {
    const model = notebook();
    const bound = new NotebookBreakpoints({ model });
    const cell = model.cells.get(0);
    bound.store.ensure(cell.id, 1);
    bound.store.ensure(cell.id, 2);
    cell.setMetadata(METADATA_KEY, {
      breakpoints: [{ id: 'kept', line: 2, once: true }]
    });
    expect(bound.store.cell(cell.id)).toEqual([
      { id: 'kept', cellId: cell.id, line: 2, actions: { ...NO_ACTIONS, once: true } }
    ]);
    cell.deleteMetadata(METADATA_KEY);
    expect(bound.store.cell(cell.id)).toEqual([]);
    bound.dispose();
  });
});
