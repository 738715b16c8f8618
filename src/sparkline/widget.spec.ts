import { createSparkline, Sparkline } from './widget';

describe('createSparkline', () => {
  it('draws the series in the current text colour, with a dot on the last value', () => {
    const svg = createSparkline([1, 2, 3], 'loss: last 3');
    const line = svg.querySelector('path')!;
    expect(line.getAttribute('stroke')).toBe('currentColor');
    expect(line.getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+ L/);
    const dot = svg.querySelector('circle')!;
    // The dot sits at the right end, where the newest value is drawn.
    expect(Number(dot.getAttribute('cx'))).toBeCloseTo(60 - 1.5);
    expect(svg.getAttribute('aria-label')).toBe('loss: last 3');
  });

  it('shows a label that holds markup as text, not as elements', () => {
    const svg = createSparkline([1, 2], '<img src=x onerror=alert(1)>');
    expect(svg.querySelector('img')).toBeNull();
    expect(svg.querySelector('title')!.textContent).toBe(
      '<img src=x onerror=alert(1)>'
    );
  });

  it('draws nothing for a series without finite values', () => {
    const svg = createSparkline([NaN], 'empty');
    expect(svg.querySelector('path')).toBeNull();
    expect(svg.querySelector('circle')).toBeNull();
  });
});

describe('Sparkline', () => {
  it('redraws when its data is replaced', () => {
    const widget = new Sparkline({ values: [1], label: 'a' });
    expect(widget.node.querySelector('path')!.getAttribute('d')).toBe(
      'M58.5 7'
    );
    widget.setData([1, 2], 'b');
    expect(widget.values).toEqual([1, 2]);
    expect(widget.node.querySelector('path')!.getAttribute('d')).toContain('L');
    expect(widget.node.querySelectorAll('svg')).toHaveLength(1);
    widget.dispose();
  });
});
