/**
 * The fallback transport for kernels without subshells: DAP `evaluate` in the
 * stopped frame.
 *
 * Without a subshell a stopped cell holds the only shell, so the probe is asked
 * through the debugger. This queues on the control channel behind JupyterLab's
 * own requests, which is why it is only the fallback. The reply comes back as
 * hexadecimal text (see probe/evaluate.py) so no Python string escapes need
 * parsing here.
 */
import type { Kernel } from '@jupyterlab/services';
import type { IOperations, Operation, RawReply } from './protocol';
import { encodeRequest, ProbeError } from './protocol';
import { decodeReply } from './decode';
import { bootstrapCode, PROBE_VERSION } from './bootstrap';
import { withTimeout } from './timeout';

/** DAP sequence numbers of ours, far from those JupyterLab's session counts up from 1. */
let nextSeq = 1_000_000_000;

/** Python expression that hands one request to the probe, or '' when it is not loaded. */
export function probeCallExpression(requestJson: string): string {
  const version = JSON.stringify(PROBE_VERSION);
  return (
    `(lambda s: s.modules["jupyterlab_ml_debugger.probe"].handle_encoded(${JSON.stringify(requestJson)}) ` +
    `if getattr(s.modules.get("jupyterlab_ml_debugger"), "__version__", None) == ${version} ` +
    `and "jupyterlab_ml_debugger.probe" in s.modules else "")(__import__("sys"))`
  );
}

/** The reply inside an evaluate result: the repr of a hex string. */
export function decodeEvaluateResult(result: string): RawReply | null {
  const hex = result.replace(/^'|'$/g, '');
  if (hex === '') {
    return null;
  }
  if (!/^([0-9a-f]{2})+$/.test(hex)) {
    throw new ProbeError(
      'protocol',
      'The debugger returned something other than a probe reply.'
    );
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return decodeReply(JSON.parse(new TextDecoder().decode(bytes)));
}

/** Ask the probe through DAP evaluate in a stopped frame, loading it first if needed. */
export async function evaluateRequest<K extends Operation>(
  kernel: Kernel.IKernelConnection,
  frameId: number,
  request: { id: number; op: K; args: IOperations[K]['args'] },
  timeoutMs: number
): Promise<RawReply> {
  const expression = probeCallExpression(
    JSON.stringify(encodeRequest(request.id, request.op, request.args))
  );
  let reply = decodeEvaluateResult(
    await evaluate(kernel, frameId, expression, timeoutMs)
  );
  if (reply === null) {
    await evaluate(kernel, frameId, bootstrapCode(), timeoutMs);
    reply = decodeEvaluateResult(
      await evaluate(kernel, frameId, expression, timeoutMs)
    );
  }
  if (reply === null) {
    throw new ProbeError(
      'internal',
      'The debugger probe could not be loaded through the debugger.'
    );
  }
  return reply;
}

async function evaluate(
  kernel: Kernel.IKernelConnection,
  frameId: number,
  expression: string,
  timeoutMs: number
): Promise<string> {
  const future = kernel.requestDebug({
    seq: nextSeq++,
    type: 'request',
    command: 'evaluate',
    // "clipboard" returns the whole repr; "repl" and "watch" truncate long ones.
    arguments: { expression, frameId, context: 'clipboard' }
  });
  const reply = await withTimeout(
    future.done,
    timeoutMs,
    'The debugger did not answer the evaluate request in time.'
  );
  const content = reply.content;
  if (!content.success) {
    throw new ProbeError(
      'internal',
      `The debugger could not evaluate the probe request: ${content.message ?? 'no reason given'}`
    );
  }
  return String(content.body?.result ?? '');
}
