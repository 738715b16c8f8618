/**
 * The trace model: what a user sees in the Trace section as batches arrive.
 */
import { TraceModel } from './model';
import { batch, traceRow } from './testing/fakes';

describe('TraceModel', () => {
  it('keeps pushed and fetched rows once each, in order, however they overlap', () => {
    const model = new TraceModel();
    model.append(batch([traceRow(1), traceRow(2), traceRow(3)]));
    model.append(batch([traceRow(2), traceRow(3), traceRow(4)]));
    expect(model.rows.map(r => r.seq)).toEqual([1, 2, 3, 4]);
    expect(model.next).toBe(5);
  });

  it('counts the rows the probe lost and the rows beyond its own bound', () => {
    const model = new TraceModel({ capacity: 3 });
    model.append(batch([traceRow(5), traceRow(6)], 4));
    expect(model.dropped).toBe(4);
    model.append(batch([traceRow(7), traceRow(8)]));
    expect(model.rows.map(r => r.seq)).toEqual([6, 7, 8]);
    expect(model.dropped).toBe(5);
  });

  it('does not count the same loss twice when a push and a fetch both report it', () => {
    const model = new TraceModel();
    model.append(batch([traceRow(5)], 4));
    model.append(batch([traceRow(5)], 4));
    expect(model.dropped).toBe(4);
  });

  it('lists recorded expressions as columns and their numbers as series', () => {
    const model = new TraceModel();
    model.append(
      batch([
        traceRow(1, { loss: 0.5, name: 'a' }),
        traceRow(2, { loss: null, name: 'b', lr: 0.1 })
      ])
    );
    expect(model.columns).toEqual(['loss', 'name', 'lr']);
    expect(model.numericColumns()).toEqual(['loss', 'lr']);
    expect(model.series('loss')).toEqual([0.5, NaN]);
    expect(model.series('lr')).toEqual([NaN, 0.1]);
  });

  it('emits once per batch, not per row', () => {
    const model = new TraceModel();
    const seen = jest.fn();
    model.changed.connect(seen);
    model.append(batch([traceRow(1), traceRow(2), traceRow(3)]));
    model.append(batch([traceRow(3)]));
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('starts over after clear at the seq the probe continues from', () => {
    const model = new TraceModel();
    model.append(batch([traceRow(1, { loss: 1 })], 2));
    model.clear(10);
    expect(model.rows).toHaveLength(0);
    expect(model.columns).toEqual([]);
    expect(model.dropped).toBe(0);
    model.append(batch([traceRow(9), traceRow(10)]));
    expect(model.rows.map(r => r.seq)).toEqual([10]);
  });

  it('accepts the restarted kernel rows numbered from 1 again, keeping the old ones', () => {
    const model = new TraceModel();
    model.append(batch([traceRow(1), traceRow(2)]));
    model.restarted();
    model.append(batch([traceRow(1, {}, { log: 'after restart' })]));
    expect(model.rows.map(r => r.log)).toEqual(['step 1', 'step 2', 'after restart']);
  });
});
