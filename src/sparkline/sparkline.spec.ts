import { sparkline } from './sparkline';

const box = { width: 100, height: 20, pad: 0 };

describe('sparkline', () => {
  it('maps the smallest value to the bottom and the largest to the top', () => {
    const g = sparkline([1, 3, 2], box)!;
    expect(g.points).toEqual([
      [0, 20],
      [50, 0],
      [100, 10]
    ]);
    expect(g.path).toBe('M0 20 L50 0 L100 10');
    expect([g.min, g.max, g.last]).toEqual([1, 3, 2]);
  });

  it('leaves a gap where a value is NaN or infinite instead of inventing one', () => {
    const g = sparkline([1, NaN, 3, Infinity, 2], box)!;
    expect(g.skipped).toBe(2);
    expect(g.points.map(p => p[0])).toEqual([0, 50, 100]);
    // Three separate pen-downs: no segment crosses a missing value.
    expect(g.path).toBe('M0 20 M50 0 M100 10');
    expect(g.max).toBe(3);
  });

  it('draws a constant series as a flat line through the middle', () => {
    const g = sparkline([5, 5, 5], box)!;
    expect(g.points.map(p => p[1])).toEqual([10, 10, 10]);
    expect(g.min).toBe(g.max);
  });

  it('places a single value at the right end', () => {
    const g = sparkline([42], { width: 60, height: 14, pad: 2 })!;
    expect(g.points).toEqual([[58, 7]]);
    expect(g.path).toBe('M58 7');
  });

  it('returns null when there is nothing finite to draw', () => {
    expect(sparkline([], box)).toBeNull();
    expect(sparkline([NaN, -Infinity], box)).toBeNull();
  });

  it('keeps every point inside the padded box', () => {
    const g = sparkline([-1e9, 0, 1e9, 3], { width: 60, height: 14, pad: 1.5 })!;
    for (const [x, y] of g.points) {
      expect(x).toBeGreaterThanOrEqual(1.5);
      expect(x).toBeLessThanOrEqual(58.5);
      expect(y).toBeGreaterThanOrEqual(1.5);
      expect(y).toBeLessThanOrEqual(12.5);
    }
  });
});
