/**
 * Geometry of the main-area trace plot.
 */
import { formatTick, layoutChart, niceTicks, tickIndices } from './chart';

describe('layoutChart', () => {
  const box = { width: 200, height: 100, left: 40, right: 10, top: 10, bottom: 20 };

  it('draws the line inside the axes, lowest value at the bottom', () => {
    const chart = layoutChart([1, 3, 2], [1, 2, 3], box);
    const points = chart.line!.points;
    expect(points[0]).toEqual([40, 80]);
    expect(points[1]).toEqual([115, 10]);
    expect(points[2]).toEqual([190, 45]);
    expect(chart.line!.path.startsWith('M40 80 L115')).toBe(true);
  });

  it('labels the x axis with hit numbers and the y axis with round values', () => {
    const chart = layoutChart([0, 0.5, 1], [10, 20, 30], box);
    expect(chart.xTicks.map(t => t.label)).toEqual(['10', '20', '30']);
    expect(chart.yTicks.map(t => t.label)).toEqual(['0', '0.5', '1']);
    expect(chart.yTicks[0].at).toBe(80);
  });

  it('breaks the line at NaN and has no line without numbers', () => {
    expect(layoutChart([1, NaN, 2], [1, 2, 3], box).line!.path).toMatch(/^M\S+ \S+ M/);
    expect(layoutChart([NaN], [1], box).line).toBeNull();
  });
});

describe('ticks', () => {
  it('spreads indices over a long series, ends included', () => {
    expect(tickIndices(3, 6)).toEqual([0, 1, 2]);
    expect(tickIndices(101, 6)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('picks 1-2-5 steps', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 5, 10]);
    expect(niceTicks(3, 3, 5)).toEqual([3]);
  });

  it('formats small and big values compactly', () => {
    expect(formatTick(0.000012)).toBe('1.2e-5');
    expect(formatTick(1234567)).toBe('1.2e+6');
    expect(formatTick(0.1 + 0.2)).toBe('0.3');
  });
});
