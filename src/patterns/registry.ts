/**
 * The named debugging patterns of DESIGN.md's vocabulary, in one place.
 *
 * Every section reads its title and explanation from here, so a pattern is
 * named and explained the same way in the sidebar, the palette and the
 * teaching notebooks.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';

/**
 * One named debugging pattern.
 */
export interface IPattern {
  /** Stable identifier, kebab-case. */
  readonly id: string;
  /** The pattern's name as the vocabulary table spells it. */
  readonly name: string;
  /** What the user gets, in one or two sentences of our own. */
  readonly explanation: string;
  /** The label of the section (or view) that shows the pattern. */
  readonly section: string;
  /** The teaching notebook, relative to the repository root. */
  readonly notebook: string;
  /**
   * The id of the notebook cell where the pattern's teaching starts, when the
   * notebook teaches something else first: the catalogue opens it there.
   */
  readonly cell?: string;
  /**
   * Whether the section and notebook exist in this build; a planned pattern
   * is listed so names stay stable, but no UI may offer it.
   */
  readonly available: boolean;
}

/**
 * Holds the patterns; sections added by later plugins register theirs or
 * mark a planned one available.
 */
export class PatternRegistry {
  constructor(options: PatternRegistry.IOptions = {}) {
    for (const pattern of options.patterns ?? []) {
      this._patterns.set(pattern.id, pattern);
    }
  }

  /** Emitted with the id of a pattern that was added or changed. */
  get changed(): ISignal<this, string> {
    return this._changed;
  }

  /** Every pattern, in the order of the vocabulary table. */
  all(): IPattern[] {
    return [...this._patterns.values()];
  }

  /** Only the patterns whose section exists. */
  available(): IPattern[] {
    return this.all().filter(p => p.available);
  }

  /** The pattern with this id, or undefined. */
  get(id: string): IPattern | undefined {
    return this._patterns.get(id);
  }

  /**
   * The pattern with this id; throws when it is missing, because a section
   * without its pattern is a programming error, not a user's.
   */
  require(id: string): IPattern {
    const pattern = this._patterns.get(id);
    if (!pattern) {
      throw new Error(`Unknown debugging pattern "${id}"`);
    }
    return pattern;
  }

  /** Add a pattern, or replace the one with the same id. */
  set(pattern: IPattern): void {
    this._patterns.set(pattern.id, pattern);
    this._changed.emit(pattern.id);
  }

  /** Mark a planned pattern as shown by a section that now exists. */
  markAvailable(id: string): void {
    const pattern = this.require(id);
    if (!pattern.available) {
      this.set({ ...pattern, available: true });
    }
  }

  private _patterns = new Map<string, IPattern>();
  private _changed = new Signal<this, string>(this);
}

export namespace PatternRegistry {
  export interface IOptions {
    /** The patterns to start with. */
    patterns?: IPattern[];
  }

  /** Ids of the built-in patterns that sections look up. */
  export const VARIABLE_VALUE = 'variable-value';
  export const CODE_BREAKPOINT = 'code-breakpoint';
  export const BREAKPOINT_ACTION = 'breakpoint-action';
  export const CODE_TRACE = 'code-trace';
  export const TYPE_STRUCTURE = 'type-structure';
  export const SCOPE = 'scope';
  export const NAN_ORIGIN = 'origin-module';
  export const DATA_DEFECTS = 'data-defects';
  export const BREAK_IN = 'break-in';
  export const COUNTER_VALUE = 'counter-value';
  export const STACK_TRACE_COLLECTION = 'stack-trace-collection';
  export const WAIT_CHAIN = 'wait-chain';
  export const SPIKING_THREAD = 'spiking-thread';
  export const ACTIVE_THREAD = 'active-thread';
  export const BLOCKED_THREAD = 'blocked-thread';
  export const BLOCKING_MODULE = 'blocking-module';
  export const MEMORY_LEAK = 'memory-leak';
  export const EXCEPTION_STACK_TRACE = 'exception-stack-trace';
  export const POSTMORTEM = 'postmortem';
  export const MODULE_COLLECTION = 'module-collection';
  export const SENSITIVE_DATA_EXPOSURE = 'sensitive-data-exposure';
  export const CRASH = 'crash';
  export const HANG = 'hang';
}

/**
 * The built-in vocabulary, translated. Variable Value, Scope, Code
 * Breakpoint and Sensitive Data Exposure have their sections in every build;
 * a plugin that adds a planned pattern's section marks it available when it
 * starts.
 */
export function builtinPatterns(trans: TranslationBundle): IPattern[] {
  const planned = (
    id: string,
    name: string,
    explanation: string,
    section: string,
    notebook: string
  ): IPattern => ({
    id,
    name,
    explanation,
    section,
    notebook: `examples/${notebook}.ipynb`,
    available: false
  });
  return [
    {
      // JupyterLab's own Breakpoints section shows it; the gutter is ours to enrich.
      ...planned(
        PatternRegistry.CODE_BREAKPOINT,
        trans.__('Code Breakpoint'),
        trans.__(
          'Stop the program on a chosen line of a cell or of a module, to look at it there.'
        ),
        trans.__('Breakpoints'),
        '02-breakpoint-actions'
      ),
      available: true
    },
    planned(
      PatternRegistry.BREAKPOINT_ACTION,
      trans.__('Breakpoint Action'),
      trans.__(
        'Give a breakpoint a condition, a hit count, a log message, or an action such as recording values or checking tensors, and optionally keep running.'
      ),
      trans.__('Breakpoint Actions'),
      '02-breakpoint-actions'
    ),
    planned(
      PatternRegistry.CODE_TRACE,
      trans.__('Code Trace / Usage Trace'),
      trans.__(
        'Every hit of a breakpoint and the values it recorded, iteration by iteration, as a table and a sparkline.'
      ),
      trans.__('Trace'),
      '02-breakpoint-actions'
    ),
    {
      id: PatternRegistry.VARIABLE_VALUE,
      name: trans.__('Variable Value'),
      explanation: trans.__(
        'Each value of a frame in one line: tensors with shape, dtype, device, gradient state, range and NaN/Inf counts, without running your own repr unless you ask.'
      ),
      section: trans.__('Variable Values'),
      notebook: 'examples/01-variable-value.ipynb',
      available: true
    },
    planned(
      PatternRegistry.TYPE_STRUCTURE,
      trans.__('Type Structure'),
      trans.__(
        'How a value is built: its class and bases, fields, nested containers, and a model as a tree of modules with parameter shapes.'
      ),
      trans.__('Type Structure'),
      '03-type-structure'
    ),
    {
      // Group by Scope belongs to Variable Values, which every build has.
      ...planned(
        PatternRegistry.SCOPE,
        trans.__('Scope'),
        trans.__(
          'Which names the selected frame sees as local, enclosing or global, and where each comes from.'
        ),
        trans.__('Variable Values'),
        '03-type-structure'
      ),
      available: true
    },
    planned(
      PatternRegistry.BREAK_IN,
      trans.__('Break-In'),
      trans.__(
        'Pause a cell that is running, or look at its values live while it keeps running.'
      ),
      trans.__('Break-In'),
      '07-live-break-in'
    ),
    planned(
      PatternRegistry.COUNTER_VALUE,
      trans.__('Counter Value'),
      trans.__(
        'Numbers sampled over time, such as memory, device memory, threads, loss or gradient norm, drawn as they change.'
      ),
      trans.__('Counters'),
      '09-counters-and-leaks'
    ),
    planned(
      PatternRegistry.STACK_TRACE_COLLECTION,
      trans.__('Stack Trace Collection'),
      trans.__('The stack of every thread at one moment, side by side.'),
      trans.__('Threads'),
      '08-threads-and-deadlocks'
    ),
    planned(
      PatternRegistry.WAIT_CHAIN,
      trans.__('Wait Chain / Deadlock'),
      trans.__(
        'Which thread waits on which lock, and which thread holds it, until the chain closes in a cycle.'
      ),
      trans.__('Threads'),
      '08-threads-and-deadlocks'
    ),
    planned(
      PatternRegistry.SPIKING_THREAD,
      trans.__('Spiking Thread'),
      trans.__('The thread that is using the CPU, and what it is doing.'),
      trans.__('Threads'),
      '08-threads-and-deadlocks'
    ),
    planned(
      PatternRegistry.ACTIVE_THREAD,
      trans.__('Active Thread'),
      trans.__(
        'A thread running Python or native code on a CPU; filter Threads to show only these.'
      ),
      trans.__('Threads'),
      '08-threads-and-deadlocks'
    ),
    planned(
      PatternRegistry.BLOCKED_THREAD,
      trans.__('Blocked Thread'),
      trans.__(
        'A thread waiting on a lock, queue, join, event, I/O or sleep, with what it waits on.'
      ),
      trans.__('Threads'),
      '08-threads-and-deadlocks'
    ),
    planned(
      PatternRegistry.BLOCKING_MODULE,
      trans.__('Blocking Module'),
      trans.__(
        'The module whose frame holds a blocked thread\'s wait; filter Threads by it.'
      ),
      trans.__('Threads'),
      '08-threads-and-deadlocks'
    ),
    planned(
      PatternRegistry.MEMORY_LEAK,
      trans.__('Memory Leak / Handle Leak'),
      trans.__(
        'A count that only grows between iterations, and the references that keep it alive.'
      ),
      trans.__('Counters'),
      '09-counters-and-leaks'
    ),
    planned(
      PatternRegistry.EXCEPTION_STACK_TRACE,
      trans.__('Exception Stack Trace / Nested Exception'),
      trans.__(
        'The frames an exception passed through, and the chain of exceptions that caused it.'
      ),
      trans.__('Exceptions'),
      '10-postmortem'
    ),
    planned(
      PatternRegistry.POSTMORTEM,
      trans.__('Postmortem'),
      trans.__(
        'Look at the frames and values of the last exception after the cell has failed.'
      ),
      trans.__('Exceptions'),
      '10-postmortem'
    ),
    planned(
      PatternRegistry.MODULE_COLLECTION,
      trans.__('Module Collection / Not My Version'),
      trans.__(
        'The modules the kernel has loaded, with versions and paths, and where they differ from what the project requires.'
      ),
      trans.__('Modules'),
      '11-modules'
    ),
    planned(
      PatternRegistry.NAN_ORIGIN,
      trans.__('Origin Module'),
      trans.__(
        'The module in which a NaN, an Inf or a wrong shape first appeared during a forward or backward pass.'
      ),
      trans.__('Checks'),
      '04-nan-origin'
    ),
    planned(
      PatternRegistry.DATA_DEFECTS,
      trans.__('Data defects'),
      trans.__(
        'Problems in a table of data: inconsistent categories, outliers, missing values and hints of leakage.'
      ),
      trans.__('Checks'),
      '06-data-defects'
    ),
    {
      // The kernel masks secrets in every build, starting with Variable Values.
      id: PatternRegistry.SENSITIVE_DATA_EXPOSURE,
      name: trans.__('Sensitive Data Exposure'),
      explanation: trans.__(
        'Values under secret-looking names, and text shaped like a key or token, are masked in the kernel, so no view, watch, trace row or CSV export shows them; Reveal shows one value when you ask, and the Settings Editor sets which names count or turns masking off.'
      ),
      section: trans.__('Variable Values, Watch and Trace'),
      notebook: 'examples/01-variable-value.ipynb',
      cell: 'sensitive-data-exposure',
      available: true
    },
    planned(
      PatternRegistry.CRASH,
      trans.__('Crash'),
      trans.__(
        'Why the kernel died: the signal or exit code, the likely cause in one sentence (out of memory, a fault in a C extension), the last cell and line, every thread\'s stack at the fatal signal and the last memory samples, kept until dismissed.'
      ),
      trans.__('Crash and Hang'),
      '12-crash-and-hang'
    ),
    planned(
      PatternRegistry.HANG,
      trans.__('Hang'),
      trans.__(
        'A running cell that makes no progress: how long the main thread has stood at one line, waiting or spinning, what it waits on, its DataLoader workers, and every stack read from outside when the kernel does not answer.'
      ),
      trans.__('Crash and Hang'),
      '12-crash-and-hang'
    )
  ];
}
