/**
 * Which decoder reads which operation's result: one table, so an operation
 * added to the protocol without a decoder fails to compile.
 */
import {
  decodeCheckedStep,
  decodeDataDefects,
  decodeNanReport,
  decodeNanWatch,
  decodeScan,
  decodeShapeErrorReport
} from './decodeChecks';
import {
  asNumber,
  asObject,
  decodeChildren,
  decodeHello,
  decodeRepr,
  decodeReveal,
  decodeSecrets,
  decodeSetActions,
  decodeTrace,
  decodeValidation,
  decodeValuesOrLive,
  decodeWatch
} from './decode';
import { decodeCounters, decodeHang, decodeModules, decodePostmortem, decodeThreads } from './decodeLive';
import { decodeHistogram, decodeSlice, decodeStructure, decodeTable } from './decodeStructure';
import type { IOperations, Operation } from './protocol';
import { ProbeError } from './protocol';

type Decoders = {
  [K in Operation]: (result: unknown) => IOperations[K]['result'];
};

const DECODERS: Decoders = {
  hello: decodeHello,
  values: decodeValuesOrLive,
  children: decodeChildren,
  repr: decodeRepr,
  reveal: decodeReveal,
  secrets: decodeSecrets,
  watch: decodeWatch,
  trace: decodeTrace,
  clear_trace: result => {
    const o = asObject(result, 'clear_trace');
    return {
      cleared: asNumber(o.cleared, 'clear_trace.cleared'),
      next: asNumber(o.next, 'clear_trace.next')
    };
  },
  set_actions: decodeSetActions,
  validate: decodeValidation,
  breakpoint_hook: result => {
    const o = asObject(result, 'breakpoint_hook');
    return { on: o.on === true, attached: o.attached === true };
  },
  structure: decodeStructure,
  record_shapes: result => {
    const o = asObject(result, 'record_shapes');
    return { on: o.on === true, modules: asNumber(o.modules, 'record_shapes.modules') };
  },
  slice: decodeSlice,
  histogram: decodeHistogram,
  table: decodeTable,
  scan: decodeScan,
  nan_watch: decodeNanWatch,
  nan_report: decodeNanReport,
  explain_error: decodeShapeErrorReport,
  checked_step_report: decodeCheckedStep,
  data_defects: decodeDataDefects,
  threads: decodeThreads,
  counters: decodeCounters,
  postmortem: decodePostmortem,
  modules: decodeModules,
  hang: decodeHang
};

/** Decode the result of an operation into its typed form. */
export function decodeResult<K extends Operation>(
  op: K,
  result: unknown
): IOperations[K]['result'] {
  const decoder = DECODERS[op] as Decoders[K] | undefined;
  if (!decoder) {
    throw new ProbeError('protocol', `Unknown operation ${String(op)}`);
  }
  return decoder(result);
}
