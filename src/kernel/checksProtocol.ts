/**
 * The probe's ML-check shapes, mirrored from the `scan`, `nan_watch`,
 * `nan_report`, `explain_error`, `checked_step_report` and `data_defects`
 * sections of jupyterlab_ml_debugger/probe/protocol_checks.py. Pure types;
 * `decodeChecks.ts` turns what arrives into them.
 */

/** A tensor in a check's report. */
export interface ITensorFacts {
  name: string;
  shape: number[];
  dtype: string;
  device: string;
  nan: number;
  inf: number;
  min: number | null;
  max: number | null;
}

/** A tensor reachable from the frame that holds NaN or Inf. */
export interface IScanFinding {
  path: string;
  shape: number[];
  dtype: string;
  device: string;
  nan: number;
  inf: number;
  first: number[] | null;
}

export interface IScan {
  findings: IScanFinding[];
  tensors: number;
  skipped: number;
  truncated: boolean;
  cut: string | null;
  elapsedMs: number;
}

export interface INanWatch {
  on: boolean;
  modules: number;
  mode: string;
  note: string | null;
}

/** The first non-finite value a watch saw. */
export interface IOrigin {
  path: string;
  cls: string;
  phase: 'forward' | 'backward';
  created: boolean;
  step: number;
  inputs: ITensorFacts[];
  outputs: ITensorFacts[];
  weights: ITensorFacts[];
  message: string;
}

export interface IParamHealth {
  path: string;
  gradNorm: number | null;
  ratio: number | null;
  updateRatio: number | null;
  flag: 'vanishing' | 'exploding' | 'nonfinite' | null;
  history: number[];
}

export interface IHealth {
  step: number;
  params: IParamHealth[];
  updateNote: string | null;
}

export interface INanReport {
  /** `health`: false for a watch that looks for origins only. */
  watches: { label: string; modules: number; mode: string; steps: number; health: boolean }[];
  origin: IOrigin | null;
  health: IHealth | null;
}

export interface IShapeError {
  /** Changes with every new failure, even of the same cell the same way. */
  id: string;
  kind: 'matmul' | 'linear' | 'conv' | 'cat' | 'view' | 'broadcast' | 'other';
  exception: string;
  module: string | null;
  cls: string | null;
  expects: string | null;
  received: string | null;
  where: { path: string; line: number; name: string } | null;
  message: string;
}

export interface ICheckedStep {
  state: 'idle' | 'armed' | 'done';
  findings: { kind: string; message: string; path: string; line: number }[];
}

export interface IDataDefect {
  kind: string;
  column: string | null;
  count: number;
  message: string;
}

export interface IDataDefects {
  rows: number;
  sampled: boolean;
  defects: IDataDefect[];
  /**
   * How the check was made (a sample, skipped objects, columns not checked), and what a rule
   * could not judge and why.
   */
  notes: string[];
  elapsedMs: number;
}
