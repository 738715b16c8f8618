/**
 * How the probe names and summarises one value, mirrored from
 * jupyterlab_ml_debugger/probe/protocol.py: the path that reaches it from a
 * scope, and the one-line row it is shown as. Pure types and constants, the
 * base every other protocol module builds on; it imports none of them.
 */

/** How a row is reached from its scope. */
export type PathStep =
  | { kind: 'name'; name: string }
  | { kind: 'global'; name: string }
  | { kind: 'frame'; index: number }
  | { kind: 'attr'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'key'; index: number };

/** A frame as the debugger's call stack lists it. */
export interface IFrameRef {
  path: string;
  name: string;
  line: number;
}

/** Which values a request is about. */
export type Scope =
  | { kind: 'frame'; frames: IFrameRef[]; index: number }
  | { kind: 'globals' }
  | { kind: 'live' };

/** Which figures of a numeric summary are exact (the others were sampled). */
export interface IExactness {
  min: boolean;
  max: boolean;
  mean: boolean;
  std: boolean;
  nan: boolean;
  inf: boolean;
}

/** Numeric summary of a tensor or array. */
export interface IStats {
  shape: number[];
  dtype: string;
  device: string;
  numel: number;
  requiresGrad: boolean | null;
  hasGrad: boolean | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  nan: number | null;
  inf: number | null;
  exact: IExactness;
  note: string | null;
}

/** The kinds of value a row can show. */
export const ROW_KINDS = [
  'tensor',
  'ndarray',
  'dataframe',
  'series',
  'container',
  'mapping',
  'scalar',
  'text',
  'object',
  'module',
  'function',
  'class',
  'property',
  'error'
] as const;

export type RowKind = (typeof ROW_KINDS)[number];

/** One value, summarised in one line. */
export interface IRow {
  name: string;
  type: string;
  kind: RowKind;
  summary: string;
  size: number;
  nonfinite: boolean;
  expandable: boolean;
  path: PathStep[];
  stats: IStats | null;
  error: string | null;
  /**
   * The kernel masked a secret in the summary or error (a value whose name
   * looks like a secret's, or text shaped like a key); `reveal` gets it.
   */
  masked: boolean;
  /** Only when the values were grouped by scope (the Scope pattern). */
  scope?: RowScope;
  /** What the name hides, when grouped by scope; null when nothing. */
  shadows?: RowShadows | null;
}

/** Where a name lives, seen from the selected frame. */
export const ROW_SCOPES = ['local', 'enclosing', 'global'] as const;
export type RowScope = (typeof ROW_SCOPES)[number];

/** A local hiding a global, or any name hiding a builtin. */
export type RowShadows = 'builtin' | 'global';
