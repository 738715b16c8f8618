/**
 * Loading the probe into a kernel.
 *
 * The bootstrap source runs in a fresh dict, so nothing lands in the user's
 * namespace, and receives the embedded probe sources: the kernel uses them only
 * when its environment lacks this exact version of the package.
 */
import type { Kernel } from '@jupyterlab/services';
import { KernelMessage } from '@jupyterlab/services';
import { ProbeError } from './protocol';
import { BOOTSTRAP_SOURCE, PROBE_SOURCES, PROBE_VERSION } from './probeSource';
import { withTimeout } from './timeout';

export { PROBE_VERSION };

/**
 * Python source of one expression that boots the probe and returns its hello.
 *
 * JSON string and object literals are valid Python literals, which is why the
 * sources travel as JSON.
 */
export function bootstrapCode(): string {
  const src = JSON.stringify(BOOTSTRAP_SOURCE);
  const sources = JSON.stringify(PROBE_SOURCES);
  const version = JSON.stringify(PROBE_VERSION);
  return (
    `(lambda ns: (exec(compile(${src}, "<jupyterlab_ml_debugger bootstrap>", "exec"), ns), ` +
    `ns["boot"](${sources}, ${version}))[-1])({"__name__": "jupyterlab_ml_debugger_bootstrap"})`
  );
}

/**
 * Run the bootstrap as a silent execute request on a subshell, or on the main
 * shell when `subshellId` is null (there it waits for a running cell to end).
 */
export async function bootOnShell(
  kernel: Kernel.IKernelConnection,
  subshellId: string | null,
  timeoutMs: number
): Promise<void> {
  const msg = KernelMessage.createMessage({
    msgType: 'execute_request',
    channel: 'shell',
    username: kernel.username,
    session: kernel.clientId,
    subshellId,
    content: {
      code: bootstrapCode(),
      silent: true,
      store_history: false,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: false
    }
  });
  const future = kernel.sendShellMessage(msg, true, true);
  const reply = (await withTimeout(
    future.done,
    timeoutMs,
    'The kernel did not finish loading the debugger probe.'
  )) as KernelMessage.IExecuteReplyMsg;
  if (reply.content.status === 'error') {
    throw new ProbeError(
      'internal',
      `Loading the debugger probe failed: ${reply.content.ename}: ${reply.content.evalue}`
    );
  }
}
