/**
 * The Watch model and the metadata it is saved in.
 */
import { row } from '../live/testing/fakes';
import { WatchModel } from './model';
import { METADATA_KEY, readWatches, writeWatches } from './persistence';

describe('WatchModel', () => {
  it('adds trimmed, unique, non-blank expressions and says when the user changed them', () => {
    const model = new WatchModel();
    const changed = jest.fn();
    model.expressionsChanged.connect(changed);
    expect(model.add(' lr ')).toBe(true);
    expect(model.add('lr')).toBe(false);
    expect(model.add('   ')).toBe(false);
    model.load(['a', 'b']);
    expect(changed).toHaveBeenCalledTimes(1);
    expect(model.expressions).toEqual(['a', 'b']);
  });

  it('keeps a bounded history of numbers, NaN where there was none', () => {
    const model = new WatchModel();
    model.add('x');
    for (let i = 0; i < WatchModel.HISTORY_LENGTH + 5; i++) {
      model.setRows([{ ...row('x'), number: i % 2 ? i : null }], 'globals');
    }
    const history = model.history('x');
    expect(history).toHaveLength(WatchModel.HISTORY_LENGTH);
    expect(history[history.length - 1]).toBeNaN();
    expect(history[history.length - 2]).toBe(WatchModel.HISTORY_LENGTH + 3);
    model.remove('x');
    expect(model.history('x')).toEqual([]);
  });
});

describe('watch persistence', () => {
  const holder = (value?: unknown) => {
    const store: Record<string, unknown> = value === undefined ? {} : { [METADATA_KEY]: value };
    return {
      store,
      getMetadata: (k: string) => store[k],
      setMetadata: (k: string, v: unknown) => {
        store[k] = v;
      },
      deleteMetadata: (k: string) => {
        delete store[k];
      }
    };
  };

  it('reads only string watches and ignores metadata that is not ours', () => {
    expect(readWatches(holder({ watches: ['a', 3, 'b'] }))).toEqual(['a', 'b']);
    expect(readWatches(holder('odd'))).toEqual([]);
    expect(readWatches(holder())).toEqual([]);
  });

  it('removes the key when nothing is left, and keeps what others stored', () => {
    const mine = holder({ watches: ['a'] });
    writeWatches(mine, []);
    expect(METADATA_KEY in mine.store).toBe(false);
    const shared = holder({ watches: ['a'], other: 1 });
    writeWatches(shared, []);
    expect(shared.store[METADATA_KEY]).toEqual({ other: 1 });
  });
});
