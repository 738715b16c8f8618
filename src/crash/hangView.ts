/**
 * The hang part of the view, while a cell runs: the Hang flag (since when,
 * waiting or spinning, the stack, what it waits on, the DataLoader
 * workers), the kernel that does not answer with its "Read stacks from
 * outside" button, and the stacks py-spy read, native frames marked. Text only.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { textNode } from '../dom/text';
import type { IHang, IHangWorker } from '../kernel/liveProtocol';
import type { IOutsideStacks, IOutsideThread } from './reports';
import { frameList, threadBlock } from './stackList';

const CLASS = 'jp-MLDebuggerCrash';

/** The "Read stacks from outside" control. */
export interface IOutsideAction {
  run: () => void;
  enabled: boolean;
  label: string;
}

/** The sentence of a hang reading: flagged since when and how, or not flagged. */
export function hangText(hang: IHang, readAt: number, trans: TranslationBundle): string {
  const seconds = Math.round(hang.sinceS ?? 0);
  if (!hang.hung) {
    return trans.__(
      'No hang: the main thread has stood at one line for %1 s; it is flagged after %2 s.',
      seconds,
      Math.round(hang.thresholdS)
    );
  }
  const since = new Date(readAt - seconds * 1000).toLocaleTimeString();
  switch (hang.kind) {
    case 'waiting':
      return trans.__('Hang since %1 (%2 s at the same line): waiting, using no CPU.', since, seconds);
    case 'spinning':
      return trans.__(
        'Hang since %1 (%2 s at the same line): spinning, one core busy inside a native call.',
        since,
        seconds
      );
    default:
      return trans.__('Hang since %1 (%2 s at the same line).', since, seconds);
  }
}

/** "alive", "exited with code 1", "killed by SIGKILL". */
export function workerState(worker: IHangWorker, trans: TranslationBundle): string {
  if (worker.alive) {
    return trans.__('alive');
  }
  if (worker.signalName) {
    return trans.__('killed by %1', worker.signalName);
  }
  if (worker.exitCode !== null) {
    return trans.__('exited with code %1', worker.exitCode);
  }
  return trans.__('ended');
}

/** The hang reading: its flag, what it waits on, its stack and the workers. */
export function renderHang(hang: IHang, readAt: number, trans: TranslationBundle): HTMLElement {
  const node = document.createElement('section');
  node.className = `${CLASS}-hang`;
  node.classList.toggle('jp-mod-hung', hang.hung);
  node.setAttribute('aria-label', trans.__('Hang'));
  const flag = textNode('div', `${CLASS}-hangFlag`, hangText(hang, readAt, trans));
  flag.setAttribute('role', 'status');
  node.appendChild(flag);
  if (hang.waitsOn) {
    node.appendChild(textNode('div', `${CLASS}-waitsOn`, trans.__('Waits on: %1', hang.waitsOn)));
  }
  if (hang.workers.length) {
    node.appendChild(textNode('div', `${CLASS}-heading`, trans.__('DataLoader workers')));
    const list = document.createElement('ul');
    list.className = `${CLASS}-workers`;
    for (const worker of hang.workers) {
      const item = document.createElement('li');
      item.className = `${CLASS}-worker`;
      item.classList.toggle('jp-mod-dead', !worker.alive);
      item.append(
        textNode('span', `${CLASS}-pid`, trans.__('pid %1', worker.pid)),
        textNode('span', `${CLASS}-workerState`, workerState(worker, trans))
      );
      list.appendChild(item);
    }
    node.appendChild(list);
  }
  if (hang.hung && hang.stack.length) {
    node.appendChild(textNode('div', `${CLASS}-heading`, trans.__('Main thread, innermost first')));
    node.appendChild(frameList(hang.stack, trans));
  }
  return node;
}

/** The kernel not answering, and the button that reads its stacks from outside. */
export function renderStalled(seconds: number, action: IOutsideAction, trans: TranslationBundle): HTMLElement {
  const node = document.createElement('section');
  node.className = `${CLASS}-stalled`;
  const text = textNode(
    'div',
    `${CLASS}-stalledText`,
    trans.__(
      'The kernel does not answer: nothing for %1 s while a cell runs. A C call may be holding the GIL, so the probe cannot run; its stacks can still be read from outside the process.',
      seconds
    )
  );
  text.setAttribute('role', 'status');
  node.appendChild(text);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `${CLASS}-readOutside jp-mod-styled`;
  button.textContent = action.label;
  button.disabled = !action.enabled;
  button.addEventListener('click', () => action.run());
  node.appendChild(button);
  return node;
}

/** What py-spy read, or the route's sentence when it could not. */
export function renderOutside(stacks: IOutsideStacks, trans: TranslationBundle): HTMLElement {
  const node = document.createElement('section');
  node.className = `${CLASS}-outside`;
  node.setAttribute('aria-label', trans.__('Stacks read from outside'));
  if (!stacks.ok) {
    node.appendChild(
      textNode(
        'div',
        `${CLASS}-message ${CLASS}-message-error`,
        stacks.message ?? trans.__('The stacks could not be read from outside the kernel.')
      )
    );
    return node;
  }
  node.appendChild(
    textNode(
      'div',
      `${CLASS}-heading`,
      trans._n(
        'Read from outside by py-spy in %2 ms: %1 thread',
        'Read from outside by py-spy in %2 ms: %1 threads',
        stacks.threads.length,
        Math.round(stacks.elapsedMs)
      )
    )
  );
  // The thread holding the GIL first: it is what keeps the kernel from answering.
  const rank = (t: IOutsideThread) => (t.gil ? 0 : t.active ? 1 : 2);
  for (const thread of [...stacks.threads].sort((a, b) => rank(a) - rank(b))) {
    node.appendChild(renderOutsideThread(thread, trans));
  }
  return node;
}

function renderOutsideThread(thread: IOutsideThread, trans: TranslationBundle): HTMLElement {
  const marks = [thread.active ? trans.__('active') : trans.__('idle')];
  if (thread.gil) {
    marks.push(trans.__('holds the GIL'));
  }
  const name = thread.name ?? trans.__('thread %1', thread.id);
  return threadBlock(name, marks.join(', '), thread.gil || thread.active, thread.frames, trans);
}
