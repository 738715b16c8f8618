/**
 * Decoders for the Type Structure and tensor viewer results: each checks the
 * shape the probe documents and throws a `protocol` ProbeError otherwise.
 */
import {
  asArray,
  asNumber,
  asObject,
  asString,
  optBool,
  optFinite,
  optNumber
} from './decode';
import type { RowKind } from './protocol';
import { ProbeError, ROW_KINDS } from './protocol';
import type {
  IColumn,
  IHistogram,
  IModuleIO,
  IModuleNode,
  IModuleTree,
  IObjectStructure,
  ISlice,
  IStructure,
  ITable,
  TensorEntry
} from './structureProtocol';

const FLAVORS = ['dataclass', 'namedtuple', 'attrs', 'pydantic'] as const;

export function decodeStructure(data: unknown): IStructure {
  const o = asObject(data, 'structure');
  const kind = asString(o.kind, 'structure.kind');
  return {
    type: asString(o.type, 'structure.type'),
    kind: (ROW_KINDS as readonly string[]).includes(kind) ? (kind as RowKind) : 'object',
    summary: asString(o.summary, 'structure.summary'),
    object: decodeObjectStructure(o.object),
    modules: o.modules === null || o.modules === undefined ? null : decodeModuleTree(o.modules),
    truncated: o.truncated === true,
    cut: optString(o.cut),
    elapsedMs: asNumber(o.elapsed_ms, 'structure.elapsed_ms')
  };
}

function decodeObjectStructure(data: unknown): IObjectStructure {
  const o = asObject(data, 'structure.object');
  const flavor = FLAVORS.find(f => f === o.flavor) ?? null;
  return {
    className: asString(o.class, 'object.class'),
    module: asString(o.module, 'object.module'),
    mro: asArray(o.mro, 'object.mro').map(m => asString(m, 'object.mro')),
    metaclass: optString(o.metaclass),
    flavor,
    fields: asArray(o.fields ?? [], 'object.fields').map(f => {
      const field = asObject(f, 'field');
      return {
        name: asString(field.name, 'field.name'),
        declared: optString(field.declared),
        actual: optString(field.actual),
        summary: asString(field.summary ?? '', 'field.summary')
      };
    }),
    attributes: asArray(o.attributes ?? [], 'object.attributes').map(a => {
      const attribute = asObject(a, 'attribute');
      return {
        name: asString(attribute.name, 'attribute.name'),
        type: asString(attribute.type, 'attribute.type'),
        summary: asString(attribute.summary ?? '', 'attribute.summary')
      };
    }),
    slots: asArray(o.slots ?? [], 'object.slots').map(s => {
      const slot = asObject(s, 'slot');
      return { name: asString(slot.name, 'slot.name'), type: optString(slot.type) };
    }),
    properties: asArray(o.properties ?? [], 'object.properties').map(p =>
      asString(p, 'object.properties')
    ),
    methods: asNumber(o.methods ?? 0, 'object.methods'),
    shape: optString(o.shape)
  };
}

function decodeModuleTree(data: unknown): IModuleTree {
  const o = asObject(data, 'structure.modules');
  // Each node travels as an array in the order of `fields`: a model of
  // 10,000 modules would otherwise repeat 13 key names 10,000 times.
  const fields = asArray(o.fields, 'modules.fields').map(f => asString(f, 'modules.fields'));
  const byName = (node: unknown): Record<string, unknown> => {
    const values = asArray(node, 'module');
    const named: Record<string, unknown> = {};
    fields.forEach((field, i) => {
      named[field] = values[i];
    });
    return named;
  };
  return {
    modules: asArray(o.modules, 'modules.modules').map(n => decodeModuleNode(byName(n))),
    params: asNumber(o.params, 'modules.params'),
    trainable: asNumber(o.trainable, 'modules.trainable'),
    paramTensors: asNumber(o.param_tensors ?? 0, 'modules.param_tensors'),
    shared: asNumber(o.shared ?? 0, 'modules.shared'),
    recording: o.recording === true
  };
}

function decodeModuleNode(data: unknown): IModuleNode {
  const o = asObject(data, 'module');
  const hooks = o.hooks === null || o.hooks === undefined ? null : asObject(o.hooks, 'module.hooks');
  return {
    path: asString(o.path, 'module.path'),
    depth: asNumber(o.depth, 'module.depth'),
    cls: asString(o.cls, 'module.cls'),
    params: asArray(o.params ?? [], 'module.params').map(decodeTensorEntry),
    buffers: asArray(o.buffers ?? [], 'module.buffers').map(decodeTensorEntry),
    own: asNumber(o.own, 'module.own'),
    total: asNumber(o.total, 'module.total'),
    trainable: asNumber(o.trainable, 'module.trainable'),
    device: optString(o.device),
    training: o.training === true,
    hooks: hooks ? decodeCounts(hooks) : null,
    shared: optString(o.shared),
    io: o.io === null || o.io === undefined ? null : decodeIO(o.io)
  };
}

function decodeCounts(hooks: Record<string, unknown>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [kind, count] of Object.entries(hooks)) {
    counts[kind] = asNumber(count, 'module.hooks');
  }
  return counts;
}

function decodeTensorEntry(data: unknown): TensorEntry {
  const entry = asArray(data, 'module tensor');
  return [
    asString(entry[0], 'tensor name'),
    decodeShape(entry[1]),
    asString(entry[2], 'tensor dtype')
  ];
}

function decodeIO(data: unknown): IModuleIO {
  const o = asObject(data, 'module.io');
  const side = (value: unknown) =>
    asArray(value ?? [], 'module.io').map(s =>
      typeof s === 'string' ? s : decodeShape(s)
    );
  return { in: side(o.in), out: side(o.out) };
}

function decodeShape(data: unknown): number[] {
  return asArray(data, 'shape').map(n => asNumber(n, 'shape'));
}

/** A slice's result, its float32 values read from their base64 text. */
export function decodeSlice(data: unknown): ISlice {
  const o = asObject(data, 'slice');
  const rows = asNumber(o.rows, 'slice.rows');
  const cols = asNumber(o.cols, 'slice.cols');
  const count = rows * cols;
  const bytes = base64Bytes(o.values);
  if (!bytes || bytes.byteLength !== count * 4) {
    throw new ProbeError(
      'protocol',
      `The tensor slice arrived without its ${count} values; restart the kernel to load the matching probe.`
    );
  }
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = view.getFloat32(i * 4, true);
  }
  return {
    shape: decodeShape(o.shape),
    dtype: asString(o.dtype, 'slice.dtype'),
    device: asString(o.device, 'slice.device'),
    axes: decodeShape(o.axes),
    index: decodeShape(o.index),
    rows,
    cols,
    rowStep: asNumber(o.row_step, 'slice.row_step'),
    colStep: asNumber(o.col_step, 'slice.col_step'),
    nan: asNumber(o.nan, 'slice.nan'),
    inf: asNumber(o.inf, 'slice.inf'),
    min: optFinite(o.min),
    max: optFinite(o.max),
    values
  };
}

export function decodeHistogram(data: unknown): IHistogram {
  const o = asObject(data, 'histogram');
  return {
    edges: asArray(o.edges, 'histogram.edges').map(e => asNumber(e, 'histogram.edges')),
    counts: asArray(o.counts, 'histogram.counts').map(c => asNumber(c, 'histogram.counts')),
    nan: asNumber(o.nan, 'histogram.nan'),
    inf: asNumber(o.inf, 'histogram.inf'),
    numel: asNumber(o.numel, 'histogram.numel'),
    device: asString(o.device, 'histogram.device'),
    exact: optBool(o.exact) ?? false,
    elapsedMs: optNumber(o.elapsed_ms) ?? 0
  };
}

export function decodeTable(data: unknown): ITable {
  const o = asObject(data, 'table');
  const shape = decodeShape(o.shape);
  const cells = (value: unknown, what: string) =>
    asArray(value, what).map(row => asArray(row, what).map(c => asString(c, what)));
  const labels = (value: unknown, what: string) =>
    asArray(value ?? [], what).map(c => asString(c, what));
  return {
    shape: [shape[0] ?? 0, shape[1] ?? 0],
    columns: asArray(o.columns, 'table.columns').map(decodeColumn),
    head: cells(o.head, 'table.head'),
    tail: cells(o.tail, 'table.tail'),
    headIndex: labels(o.head_index, 'table.head_index'),
    tailIndex: labels(o.tail_index, 'table.tail_index')
  };
}

function decodeColumn(data: unknown): IColumn {
  const o = asObject(data, 'column');
  return {
    name: asString(o.name, 'column.name'),
    dtype: asString(o.dtype, 'column.dtype'),
    missing: asNumber(o.missing, 'column.missing'),
    unique: optNumber(o.unique),
    mean: optFinite(o.mean),
    std: optFinite(o.std),
    min: optString(o.min),
    max: optString(o.max)
  };
}

function optString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The bytes base64 text holds; null for anything else. */
function base64Bytes(value: unknown): Uint8Array | null {
  if (typeof value !== 'string') {
    return null;
  }
  let text: string;
  try {
    text = atob(value);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    bytes[i] = text.charCodeAt(i);
  }
  return bytes;
}
