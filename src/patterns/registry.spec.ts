import { readFileSync } from 'fs';
import { join } from 'path';
import { nullTranslator } from '@jupyterlab/translation';
import { builtinPatterns, PatternRegistry } from './registry';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

// The vocabulary table of DESIGN.md, in its order: every panel and notebook
// uses these names, so the registry must carry each one exactly.
const VOCABULARY = [
  'Code Breakpoint',
  'Breakpoint Action',
  'Code Trace / Usage Trace',
  'Variable Value',
  'Type Structure',
  'Scope',
  'Break-In',
  'Counter Value',
  'Stack Trace Collection',
  'Wait Chain / Deadlock',
  'Spiking Thread',
  'Active Thread',
  'Blocked Thread',
  'Blocking Module',
  'Memory Leak / Handle Leak',
  'Exception Stack Trace / Nested Exception',
  'Postmortem',
  'Module Collection / Not My Version',
  'Origin Module',
  'Data defects',
  'Sensitive Data Exposure',
  'Crash',
  'Hang'
];

describe('builtinPatterns', () => {
  const patterns = builtinPatterns(trans);

  it('names every pattern of the vocabulary table, in order', () => {
    expect(patterns.map(p => p.name)).toEqual(VOCABULARY);
  });

  it('gives each pattern a unique id, an explanation, a section and a notebook', () => {
    expect(new Set(patterns.map(p => p.id)).size).toBe(patterns.length);
    for (const p of patterns) {
      expect(p.explanation.length).toBeGreaterThan(20);
      expect(p.section).not.toBe('');
      expect(p.notebook).toMatch(/^examples\/\d\d-[a-z-]+\.ipynb$/);
    }
  });

  it('offers Code Breakpoint, Variable Value, Scope and Sensitive Data Exposure before any later section starts', () => {
    // Scope is Variable Values' Group by Scope, and the kernel masks secrets, in every build.
    const registry = new PatternRegistry({ patterns });
    expect(registry.available().map(p => p.name)).toEqual([
      'Code Breakpoint',
      'Variable Value',
      'Scope',
      'Sensitive Data Exposure'
    ]);
    const values = registry.require(PatternRegistry.VARIABLE_VALUE);
    expect(values.section).toBe('Variable Values');
    expect(values.notebook).toBe('examples/01-variable-value.ipynb');
  });

  it('teaches breakpoints, their actions and the trace in one notebook', () => {
    const registry = new PatternRegistry({ patterns });
    for (const id of [
      PatternRegistry.CODE_BREAKPOINT,
      PatternRegistry.BREAKPOINT_ACTION,
      PatternRegistry.CODE_TRACE
    ]) {
      expect(registry.require(id).notebook).toBe(
        'examples/02-breakpoint-actions.ipynb'
      );
    }
  });
});

describe('Sensitive Data Exposure', () => {
  it('is taught in notebook 01, from the cell headed with its name', () => {
    const pattern = new PatternRegistry({ patterns: builtinPatterns(trans) }).require(
      PatternRegistry.SENSITIVE_DATA_EXPOSURE
    );
    expect(pattern.notebook).toBe('examples/01-variable-value.ipynb');
    const notebook = JSON.parse(readFileSync(join(__dirname, '..', '..', pattern.notebook), 'utf8'));
    const cell = notebook.cells.find((c: { id?: string }) => c.id === pattern.cell);
    expect(cell?.cell_type).toBe('markdown');
    expect([].concat(cell.source).join('')).toMatch(/^## Sensitive Data Exposure\n/);
  });
});

describe('live inspection patterns', () => {
  it('are taught in notebooks 07 to 12, one per section', () => {
    const registry = new PatternRegistry({ patterns: builtinPatterns(trans) });
    const notebook = (id: string) => registry.require(id).notebook;
    expect(notebook(PatternRegistry.BREAK_IN)).toBe('examples/07-live-break-in.ipynb');
    for (const id of [
      PatternRegistry.STACK_TRACE_COLLECTION,
      PatternRegistry.WAIT_CHAIN,
      PatternRegistry.SPIKING_THREAD,
      PatternRegistry.ACTIVE_THREAD,
      PatternRegistry.BLOCKED_THREAD,
      PatternRegistry.BLOCKING_MODULE
    ]) {
      expect(notebook(id)).toBe('examples/08-threads-and-deadlocks.ipynb');
    }
    for (const id of [PatternRegistry.COUNTER_VALUE, PatternRegistry.MEMORY_LEAK]) {
      expect(notebook(id)).toBe('examples/09-counters-and-leaks.ipynb');
    }
    for (const id of [PatternRegistry.EXCEPTION_STACK_TRACE, PatternRegistry.POSTMORTEM]) {
      expect(notebook(id)).toBe('examples/10-postmortem.ipynb');
      expect(registry.require(id).section).toBe('Exceptions');
    }
    expect(notebook(PatternRegistry.MODULE_COLLECTION)).toBe('examples/11-modules.ipynb');
    for (const id of [PatternRegistry.CRASH, PatternRegistry.HANG]) {
      expect(notebook(id)).toBe('examples/12-crash-and-hang.ipynb');
      expect(registry.require(id).section).toBe('Crash and Hang');
    }
  });
});

describe('PatternRegistry', () => {
  it('lets a later section mark its planned pattern available and says so', () => {
    const registry = new PatternRegistry({ patterns: builtinPatterns(trans) });
    const changed: string[] = [];
    registry.changed.connect((_, id) => changed.push(id));
    registry.markAvailable('type-structure');
    expect(registry.get('type-structure')?.available).toBe(true);
    expect(changed).toEqual(['type-structure']);
    expect(registry.available().map(p => p.id)).toEqual([
      'code-breakpoint',
      'variable-value',
      'type-structure',
      'scope',
      'sensitive-data-exposure'
    ]);
  });

  it('refuses to look up a pattern that does not exist', () => {
    const registry = new PatternRegistry();
    expect(registry.get('nope')).toBeUndefined();
    expect(() => registry.require('nope')).toThrow(/Unknown debugging pattern/);
  });
});
