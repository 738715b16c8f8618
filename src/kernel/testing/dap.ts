/**
 * Driving a real kernel's debugger from integration tests, as JupyterLab's
 * debugger session does: DAP requests over `debug_request` and the events on IOPub.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';

let seq = 1;

/** Send one DAP request and return the response content. */
export async function dap(
  kernel: Kernel.IKernelConnection,
  command: string,
  args: Record<string, unknown> = {}
): Promise<KernelMessage.IDebugReplyMsg['content']> {
  const reply = await kernel.requestDebug({
    seq: seq++,
    type: 'request',
    command,
    arguments: args
  }).done;
  return reply.content;
}

/** Switch the debugger on: initialize, attach, configurationDone. */
export async function debugOn(kernel: Kernel.IKernelConnection): Promise<void> {
  await dap(kernel, 'initialize', {
    clientID: 'test',
    adapterID: 'python',
    pathFormat: 'path',
    linesStartAt1: true,
    columnsStartAt1: true
  });
  await dap(kernel, 'attach');
  await dap(kernel, 'configurationDone');
}

/** Resolves with the thread id of the next `stopped` event. */
export function nextStop(kernel: Kernel.IKernelConnection): Promise<number> {
  const stopped = new PromiseDelegate<number>();
  const onIOPub = (_: unknown, msg: KernelMessage.IIOPubMessage) => {
    const content = msg.content as {
      event?: string;
      body?: { threadId?: number };
    };
    if (msg.header.msg_type === 'debug_event' && content.event === 'stopped') {
      kernel.iopubMessage.disconnect(onIOPub);
      stopped.resolve(content.body?.threadId ?? 1);
    }
  };
  kernel.iopubMessage.connect(onIOPub);
  return stopped.promise;
}
