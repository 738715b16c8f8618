import { nullTranslator } from '@jupyterlab/translation';
import type { IStoredBreakpoint } from './actions';
import { describeActions, NO_ACTIONS, toSpec } from './actions';
import { readBreakpoints, writeBreakpoints } from './metadata';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

const full: IStoredBreakpoint = {
  id: 'bp-1',
  cellId: 'c',
  line: 7,
  actions: {
    condition: 'i % 10 == 3',
    hit: { mode: 'every', n: 10 },
    log: 'loss={loss}',
    record: ['loss.item()', 'model.fc.weight.grad.norm()'],
    checkTensors: true,
    stopWhenChanged: 'x.shape',
    continue: true,
    once: true
  }
};

describe('cell metadata', () => {
  it('round-trips plain breakpoints and every action field', () => {
    const plain: IStoredBreakpoint = { id: 'bp-0', cellId: 'c', line: 2, actions: NO_ACTIONS };
    const value = writeBreakpoints(undefined, [full, plain]);
    expect(value?.breakpoints).toEqual([
      { id: 'bp-0', line: 2 },
      {
        id: 'bp-1',
        line: 7,
        condition: 'i % 10 == 3',
        hit: { mode: 'every', n: 10 },
        log: 'loss={loss}',
        record: ['loss.item()', 'model.fc.weight.grad.norm()'],
        check_tensors: true,
        stop_when_changed: 'x.shape',
        continue: true,
        once: true
      }
    ]);
    expect(readBreakpoints(JSON.parse(JSON.stringify(value)), 'c')).toEqual([
      plain,
      full
    ]);
  });

  it('keeps what others store under the key, and removes the key when nothing is left', () => {
    const value = writeBreakpoints({ watches: ['lr'] }, [full]);
    expect(value?.watches).toEqual(['lr']);
    expect(writeBreakpoints(value, [])).toEqual({ watches: ['lr'] });
    expect(writeBreakpoints({ breakpoints: [] }, [])).toBeUndefined();
  });

  it('skips entries it cannot read and gives a bad id a fresh one', () => {
    const read = readBreakpoints(
      {
        breakpoints: [
          { line: 0 },
          'nonsense',
          { id: 'has space', line: 3, hit: { mode: 'often', n: 2 } },
          { id: 'dup', line: 3 }
        ]
      },
      'c'
    );
    expect(read).toHaveLength(1);
    expect(read[0].id).not.toBe('has space');
    expect(read[0].actions).toEqual(NO_ACTIONS);
    expect(readBreakpoints('junk', 'c')).toEqual([]);
  });

  it('sends the probe the spec keys it documents', () => {
    expect(Object.keys(toSpec(full)).sort()).toEqual(
      [
        'id',
        'condition',
        'hit',
        'log',
        'record',
        'check_tensors',
        'stop_when_changed',
        'continue',
        'once'
      ].sort()
    );
  });
});

describe('describeActions', () => {
  it('says what a breakpoint does in one line', () => {
    expect(
      describeActions(
        {
          ...NO_ACTIONS,
          condition: 'i % 10 == 3',
          hit: { mode: 'every', n: 10 },
          log: 'loss={loss}'
        },
        trans
      )
    ).toBe("Stops when i % 10 == 3, on every 10th hit; logs 'loss={loss}'");
    expect(describeActions({ ...NO_ACTIONS, continue: true, record: ['x'] }, trans)).toBe(
      'Never stops; records x'
    );
  });
});
