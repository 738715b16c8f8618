/**
 * The debugger sidebar's weights: Variable Values gets room for eight values
 * on a laptop, below JupyterLab's Variables, whatever JupyterLab adds.
 */
import { Widget } from '@lumino/widgets';
import { sectionWeights, SECTION_WEIGHTS } from './sidebar';

function section(className: string): Widget {
  const widget = new Widget();
  widget.addClass(className);
  return widget;
}

describe('sectionWeights', () => {
  const classes = [
    'jp-DebuggerVariables',
    'jp-MLDebuggerValues',
    'jp-DebuggerCallstack',
    'jp-DebuggerBreakpoints',
    'jp-DebuggerKernelSources-header'
  ];

  it('gives Variable Values eight 20 px rows of the 514 px a 1366×768 window leaves', () => {
    const weights = sectionWeights(classes.map(section));
    const total = weights.reduce((a, b) => a + b, 0);
    expect(total).toBe(514);
    expect((weights[1] / total) * 514).toBeGreaterThanOrEqual(8 * 20 + 2 * 24);
    // JupyterLab's Variables keeps most of the 150 px it has alone.
    expect((weights[0] / total) * 514).toBeGreaterThan(140);
    // Callstack: two 24 px frames; Breakpoints: a cell's heading and two breakpoints.
    expect(weights[2]).toBeGreaterThanOrEqual(2 * 24);
    expect(weights[3]).toBeGreaterThanOrEqual(3 * 24);
  });

  it('keeps a share for a section it does not know, such as Sources', () => {
    const weights = sectionWeights([...classes, 'jp-DebuggerSources'].map(section));
    expect(weights).toHaveLength(6);
    expect(weights[5]).toBeGreaterThan(0);
    expect(weights.slice(0, 5)).toEqual(classes.map(c => SECTION_WEIGHTS[c]));
  });
});
