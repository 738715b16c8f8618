/**
 * The part of the kernel bridge a service uses: requests to the probe, and
 * the bridge of a kernel. Services narrow `O` to the operations they send,
 * so their tests need fake only those.
 */
import type { Kernel } from '@jupyterlab/services';
import type { KernelBridge } from './bridge';
import type { IOperations, Operation } from './protocol';

export interface IProbeRequester<O extends Operation = Operation> {
  request<K extends O>(
    op: K,
    args: IOperations[K]['args'],
    timeoutMs?: number
  ): Promise<IOperations[K]['result']>;
}

/**
 * Requests, and what a section that reads running cells checks first: the
 * bridge's state, why it cannot serve, and whether requests ride a subshell
 * (only then can a running cell be read).
 */
export interface ILiveRequester extends IProbeRequester {
  readonly state: KernelBridge.State;
  readonly message: string;
  readonly transport: KernelBridge.Transport;
}

export interface IBridgeFinder<B> {
  bridgeFor(kernel: Kernel.IKernelConnection): B;
}
