/**
 * The Wait Chain / Deadlock drawing: each cycle of waits as thread and lock
 * nodes joined by arrows, "MainThread → waits for cs2 → held by worker →
 * waits for cs1 → held by MainThread", with the probe's sentence under it.
 * Text only.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDeadlock, IThread } from '../kernel/liveProtocol';
import { textNode } from '../dom/text';

const CLASS = 'jp-MLDebuggerThreads';

/** One node of a drawn chain: a thread, or the lock it waits for. */
export interface IChainNode {
  kind: 'thread' | 'lock';
  text: string;
}

/**
 * The nodes of a deadlock's chain, from its first thread round to the
 * thread that closes the cycle.
 */
export function chainNodes(
  deadlock: IDeadlock,
  threads: readonly IThread[],
  trans: TranslationBundle
): IChainNode[] {
  const { cycle } = deadlock;
  if (!cycle.length) {
    return [];
  }
  const nameOf = (id: number): string =>
    cycle.find(link => link.thread === id)?.name ??
    threads.find(thread => thread.id === id)?.name ??
    trans.__('thread %1', id);
  const nodes: IChainNode[] = [{ kind: 'thread', text: cycle[0].name }];
  for (const link of cycle) {
    nodes.push(
      { kind: 'lock', text: trans.__('waits for %1', link.waitsFor) },
      { kind: 'thread', text: trans.__('held by %1', nameOf(link.heldBy)) }
    );
  }
  return nodes;
}

/** A deadlock as a block: title, the drawn chain, the probe's sentence and what to do. */
export function renderDeadlock(
  deadlock: IDeadlock,
  threads: readonly IThread[],
  trans: TranslationBundle
): HTMLElement {
  const block = document.createElement('div');
  block.className = `${CLASS}-deadlock`;
  block.setAttribute('role', 'group');
  block.setAttribute('aria-label', trans.__('Deadlock'));
  block.appendChild(textNode('div', `${CLASS}-deadlockTitle`, trans.__('Deadlock')));

  const nodes = chainNodes(deadlock, threads, trans);
  const chain = document.createElement('div');
  chain.className = `${CLASS}-chain`;
  chain.setAttribute('role', 'list');
  chain.setAttribute('aria-label', nodes.map(node => node.text).join(' → '));
  nodes.forEach((node, i) => {
    if (i > 0) {
      const arrow = textNode('span', `${CLASS}-arrow`, ' → ');
      arrow.setAttribute('aria-hidden', 'true');
      chain.appendChild(arrow);
    }
    const item = textNode('span', `${CLASS}-node jp-mod-${node.kind}`, node.text);
    item.setAttribute('role', 'listitem');
    chain.appendChild(item);
  });
  block.appendChild(chain);

  block.appendChild(textNode('div', `${CLASS}-deadlockText`, deadlock.text));
  block.appendChild(
    textNode(
      'div',
      `${CLASS}-deadlockAdvice`,
      deadlock.main
        ? trans.__('The cell waits forever: interrupt the kernel, or restart it if the interrupt does not end the cell.')
        : trans.__('The cell goes on, but these threads never finish: fix the order in which they take the locks.')
    )
  );
  return block;
}
