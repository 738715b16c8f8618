import { decodeNanReport } from './decodeChecks';

describe('decodeNanReport', () => {
  it('reads a watch that keeps no gradient health, and takes a row that does not say as keeping it', () => {
    const report = decodeNanReport({
      watches: [
        { label: 'model', modules: 5, mode: 'cpu', steps: 2, health: false },
        { label: 'older', modules: 3, mode: 'cpu', steps: 1 }
      ],
      origin: null,
      health: null
    });
    expect(report.watches.map(w => [w.label, w.health])).toEqual([
      ['model', false],
      ['older', true]
    ]);
    expect(() => decodeNanReport({ watches: [{ label: 'model' }] })).toThrow(/watch.modules/);
  });
});
