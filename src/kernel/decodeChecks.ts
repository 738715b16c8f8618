/**
 * Decoders for the ML-check results: each checks the documented shape and
 * throws a `protocol` ProbeError otherwise.
 */
import type {
  ICheckedStep,
  IDataDefects,
  IHealth,
  INanReport,
  INanWatch,
  IOrigin,
  IScan,
  IShapeError,
  ITensorFacts
} from './checksProtocol';
import { asArray, asNumber, asObject, asString, optFinite } from './decode';

const numbers = (value: unknown, what: string): number[] =>
  asArray(value, what).map(n => asNumber(n, what));

const optString = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;

function decodeFacts(data: unknown): ITensorFacts {
  const o = asObject(data, 'tensor facts');
  return {
    name: asString(o.name ?? '', 'facts.name'),
    shape: numbers(o.shape, 'facts.shape'),
    dtype: asString(o.dtype, 'facts.dtype'),
    device: asString(o.device ?? 'cpu', 'facts.device'),
    nan: asNumber(o.nan ?? 0, 'facts.nan'),
    inf: asNumber(o.inf ?? 0, 'facts.inf'),
    min: optFinite(o.min),
    max: optFinite(o.max)
  };
}

export function decodeScan(data: unknown): IScan {
  const o = asObject(data, 'scan');
  return {
    findings: asArray(o.findings, 'scan.findings').map(f => {
      const x = asObject(f, 'finding');
      return {
        path: asString(x.path, 'finding.path'),
        shape: numbers(x.shape, 'finding.shape'),
        dtype: asString(x.dtype, 'finding.dtype'),
        device: asString(x.device, 'finding.device'),
        nan: asNumber(x.nan, 'finding.nan'),
        inf: asNumber(x.inf, 'finding.inf'),
        first: x.first === null || x.first === undefined ? null : numbers(x.first, 'finding.first')
      };
    }),
    tensors: asNumber(o.tensors, 'scan.tensors'),
    skipped: asNumber(o.skipped ?? 0, 'scan.skipped'),
    truncated: o.truncated === true,
    cut: optString(o.cut),
    elapsedMs: asNumber(o.elapsed_ms ?? 0, 'scan.elapsed_ms')
  };
}

export function decodeNanWatch(data: unknown): INanWatch {
  const o = asObject(data, 'nan_watch');
  return {
    on: o.on === true,
    modules: asNumber(o.modules, 'nan_watch.modules'),
    mode: asString(o.mode ?? '', 'nan_watch.mode'),
    note: optString(o.note)
  };
}

function decodeOrigin(data: unknown): IOrigin {
  const o = asObject(data, 'origin');
  return {
    path: asString(o.path, 'origin.path'),
    cls: asString(o.cls, 'origin.cls'),
    phase: o.phase === 'backward' ? 'backward' : 'forward',
    created: o.created === true,
    step: asNumber(o.step ?? 0, 'origin.step'),
    inputs: asArray(o.inputs ?? [], 'origin.inputs').map(decodeFacts),
    outputs: asArray(o.outputs ?? [], 'origin.outputs').map(decodeFacts),
    weights: asArray(o.weights ?? [], 'origin.weights').map(decodeFacts),
    message: asString(o.message, 'origin.message')
  };
}

function decodeHealth(data: unknown): IHealth {
  const o = asObject(data, 'health');
  const flags = ['vanishing', 'exploding', 'nonfinite'] as const;
  return {
    step: asNumber(o.step ?? 0, 'health.step'),
    params: asArray(o.params, 'health.params').map(p => {
      const x = asObject(p, 'health param');
      return {
        path: asString(x.path, 'health.path'),
        gradNorm: optFinite(x.grad_norm),
        ratio: optFinite(x.ratio),
        updateRatio: optFinite(x.update_ratio),
        flag: flags.find(f => f === x.flag) ?? null,
        history: asArray(x.history ?? [], 'health.history').filter(
          (v): v is number => typeof v === 'number' && Number.isFinite(v)
        )
      };
    }),
    updateNote: optString(o.update_note)
  };
}

export function decodeNanReport(data: unknown): INanReport {
  const o = asObject(data, 'nan_report');
  return {
    watches: asArray(o.watches ?? [], 'nan_report.watches').map(w => {
      const x = asObject(w, 'watch');
      return {
        label: asString(x.label, 'watch.label'),
        modules: asNumber(x.modules, 'watch.modules'),
        mode: asString(x.mode ?? '', 'watch.mode'),
        steps: asNumber(x.steps ?? 0, 'watch.steps'),
        health: x.health !== false
      };
    }),
    origin: o.origin ? decodeOrigin(o.origin) : null,
    health: o.health ? decodeHealth(o.health) : null
  };
}

export function decodeShapeErrorReport(data: unknown): { error: IShapeError | null } {
  const o = asObject(data, 'explain_error');
  if (!o.error) {
    return { error: null };
  }
  const e = asObject(o.error, 'shape error');
  const kinds = ['matmul', 'linear', 'conv', 'cat', 'view', 'broadcast', 'other'] as const;
  const where = e.where ? asObject(e.where, 'shape error.where') : null;
  return {
    error: {
      id: asString(e.id ?? '', 'shape error.id'),
      kind: kinds.find(k => k === e.kind) ?? 'other',
      exception: asString(e.exception, 'shape error.exception'),
      module: optString(e.module),
      cls: optString(e.cls),
      expects: optString(e.expects),
      received: optString(e.received),
      where: where
        ? {
            path: asString(where.path, 'where.path'),
            line: asNumber(where.line, 'where.line'),
            name: asString(where.name, 'where.name')
          }
        : null,
      message: asString(e.message, 'shape error.message')
    }
  };
}

export function decodeCheckedStep(data: unknown): ICheckedStep {
  const o = asObject(data, 'checked_step_report');
  const state = o.state === 'armed' || o.state === 'done' ? o.state : 'idle';
  return {
    state,
    findings: asArray(o.findings ?? [], 'checked_step.findings').map(f => {
      const x = asObject(f, 'checked finding');
      return {
        kind: asString(x.kind, 'finding.kind'),
        message: asString(x.message, 'finding.message'),
        path: asString(x.path, 'finding.path'),
        line: asNumber(x.line, 'finding.line')
      };
    })
  };
}

export function decodeDataDefects(data: unknown): IDataDefects {
  const o = asObject(data, 'data_defects');
  return {
    rows: asNumber(o.rows, 'data_defects.rows'),
    sampled: o.sampled === true,
    defects: asArray(o.defects, 'data_defects.defects').map(d => {
      const x = asObject(d, 'defect');
      return {
        kind: asString(x.kind, 'defect.kind'),
        column: optString(x.column),
        count: asNumber(x.count ?? 0, 'defect.count'),
        message: asString(x.message, 'defect.message')
      };
    }),
    notes: asArray(o.notes ?? [], 'data_defects.notes').map(n => asString(n, 'data_defects.notes')),
    elapsedMs: asNumber(o.elapsed_ms ?? 0, 'data_defects.elapsed_ms')
  };
}
