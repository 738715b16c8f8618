/**
 * The probe's Type Structure and tensor viewer shapes, mirrored from the
 * `structure`, `record_shapes`, `slice`, `histogram` and `table` sections of
 * jupyterlab_ml_debugger/probe/protocol.py. Pure types; `decodeStructure.ts`
 * turns what arrives into them.
 */
import type { PathStep, RowKind } from './rowsProtocol';

/** Which value a structure or viewer request is about. */
export type Target = { path: PathStep[] } | { expression: string };

/** A dataclass, NamedTuple, attrs or pydantic field. */
export interface IField {
  name: string;
  declared: string | null;
  actual: string | null;
  summary: string;
}

/** An instance attribute read from the instance dictionary. */
export interface IAttribute {
  name: string;
  type: string;
  summary: string;
}

/** What any object is made of. */
export interface IObjectStructure {
  className: string;
  module: string;
  mro: string[];
  metaclass: string | null;
  flavor: 'dataclass' | 'namedtuple' | 'attrs' | 'pydantic' | null;
  fields: IField[];
  attributes: IAttribute[];
  /** A slot whose type is null holds no value. */
  slots: { name: string; type: string | null }[];
  properties: string[];
  methods: number;
  /** Containers: the nested shape, e.g. `dict[str → list[16] of Tensor[3, 4] float32]`. */
  shape: string | null;
}

/** A tensor of a module: name, shape, dtype. */
export type TensorEntry = [string, number[], string];

/** The shapes a module saw in the last forward pass (a string for non-tensors). */
export interface IModuleIO {
  in: (number[] | string)[];
  out: (number[] | string)[];
}

/** One module of a model, in pre-order. */
export interface IModuleNode {
  /** "" for the root. */
  path: string;
  depth: number;
  cls: string;
  params: TensorEntry[];
  buffers: TensorEntry[];
  /** Parameters in this module's own tensors. */
  own: number;
  /** Parameters in its subtree, each shared tensor counted once. */
  total: number;
  trainable: number;
  /** Of its own tensors; "mixed" when they differ; null when it has none. */
  device: string | null;
  training: boolean;
  /** Nonzero registered hook counts by kind. */
  hooks: Record<string, number> | null;
  /** The path this module was first reached by, when reachable by two. */
  shared: string | null;
  io: IModuleIO | null;
}

/** An `nn.Module`'s tree. */
export interface IModuleTree {
  modules: IModuleNode[];
  params: number;
  trainable: number;
  paramTensors: number;
  shared: number;
  recording: boolean;
}

/** The `structure` op's result. */
export interface IStructure {
  type: string;
  kind: RowKind;
  summary: string;
  object: IObjectStructure;
  modules: IModuleTree | null;
  truncated: boolean;
  /** Where and why a bounded walk stopped. */
  cut: string | null;
  elapsedMs: number;
}

/** A 2-D slice of a tensor or array, its values as float32. */
export interface ISlice {
  shape: number[];
  dtype: string;
  device: string;
  axes: number[];
  index: number[];
  rows: number;
  cols: number;
  rowStep: number;
  colStep: number;
  nan: number;
  inf: number;
  min: number | null;
  max: number | null;
  /** rows × cols values, row major; NaN and ±Infinity kept. */
  values: Float32Array;
}

/** A histogram of a whole tensor's finite values. */
export interface IHistogram {
  edges: number[];
  counts: number[];
  nan: number;
  inf: number;
  numel: number;
  device: string;
  exact: boolean;
  elapsedMs: number;
}

/** One DataFrame column's statistics. */
export interface IColumn {
  name: string;
  dtype: string;
  missing: number;
  unique: number | null;
  mean: number | null;
  std: number | null;
  min: string | null;
  max: string | null;
}

/** A DataFrame's head, tail and per-column statistics. */
export interface ITable {
  shape: [number, number];
  columns: IColumn[];
  head: string[][];
  tail: string[][];
  headIndex: string[];
  tailIndex: string[];
}
