/**
 * One thread of the Threads section: its name, kind, state (Active, or Blocked
 * with what it waits on and its Blocking Module) and CPU share, the sentence of
 * its wait, and its frames innermost first, each foldable to its path and
 * local values. Folds are `<details>` elements keyed by `data-key`, so the
 * body can keep what the user opened across samples. Text only.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IThread, IThreadFrame, IWait } from '../kernel/liveProtocol';
import { textNode, textTable } from '../dom/text';
import { foldFrames } from '../stack/runs';

const CLASS = 'jp-MLDebuggerThreads';

/** Whether a fold is open: what the user chose, else the default. */
export type FoldState = (key: string, fallback: boolean) => boolean;

/** A fold whose summary is `summary` and whose body is `content`. */
export function fold(
  className: string,
  key: string,
  open: boolean,
  summary: HTMLElement[],
  content: HTMLElement[]
): HTMLDetailsElement {
  const details = document.createElement('details');
  details.className = className;
  details.dataset.key = key;
  details.open = open;
  const head = document.createElement('summary');
  head.append(...summary);
  details.append(head, ...content);
  return details;
}

/** The CPU share as the view writes it, e.g. "0.98". */
export function formatShare(share: number): string {
  return share.toFixed(2);
}

/** A thread as a fold: header line, wait, frames. */
export function renderThread(
  thread: IThread,
  options: { spiking: boolean; isOpen: FoldState; trans: TranslationBundle }
): HTMLElement {
  const { trans, isOpen } = options;
  const head = [
    textNode('span', `${CLASS}-name`, thread.name),
    textNode('span', `${CLASS}-kind`, kindLabel(thread, trans)),
    textNode('span', `${CLASS}-state`, stateLabel(thread, trans))
  ];
  if (thread.state === 'blocked' && thread.blockingModule !== null) {
    const module = textNode('span', `${CLASS}-module`, moduleLabel(thread.blockingModule, trans));
    module.title = trans.__('Blocking module: the module whose call the thread waits in');
    head.push(module);
  }
  if (thread.cpuShare !== null) {
    const cpu = textNode('span', `${CLASS}-cpu`, trans.__('CPU %1', formatShare(thread.cpuShare)));
    cpu.title = trans.__('CPU seconds per wall second since the previous sample; 1 is one core');
    head.push(cpu);
  }
  const content: HTMLElement[] = [];
  if (thread.wait) {
    content.push(renderWait(thread.wait, trans));
  }
  const frames = document.createElement('ol');
  frames.className = `${CLASS}-frames`;
  // Counted from the outermost frame, which stays put while the thread runs.
  const frameKey = (i: number, frame: IThreadFrame) => `frame:${thread.id}:${thread.framesTotal - i}:${frame.name}`;
  for (const run of foldFrames(thread.frames)) {
    const item = document.createElement('li');
    if (run.kind === 'user') {
      item.appendChild(renderFrame(run.frame, frameKey(run.index, run.frame), isOpen, trans));
    } else {
      const key = `library:${thread.id}:${thread.framesTotal - run.start}`;
      const summary = textNode(
        'span',
        `${CLASS}-library`,
        trans._n('%1 library frame', '%1 library frames', run.frames.length)
      );
      const inner = run.frames.map((frame, j) => renderFrame(frame, frameKey(run.start + j, frame), isOpen, trans));
      item.appendChild(fold(`${CLASS}-libraryFrames`, key, isOpen(key, false), [summary], inner));
    }
    frames.appendChild(item);
  }
  content.push(frames);
  const hidden = thread.framesTotal - thread.frames.length;
  if (hidden > 0) {
    content.push(
      textNode('div', `${CLASS}-more`, trans._n('%1 outer frame not shown', '%1 outer frames not shown', hidden))
    );
  }
  const key = `thread:${thread.id}`;
  const node = fold(`${CLASS}-thread`, key, isOpen(key, true), head, content);
  node.dataset.threadId = String(thread.id);
  node.dataset.kind = thread.kind;
  node.dataset.state = thread.state;
  if (options.spiking) {
    node.classList.add('jp-mod-spiking');
  }
  if (thread.wait) {
    node.classList.add('jp-mod-waiting');
  }
  return node;
}

/** What a blocked thread waits on, saying so when a Lock's owner is not known. */
export function renderWait(wait: IWait, trans: TranslationBundle): HTMLElement {
  const node = textNode('div', `${CLASS}-wait`, wait.text);
  if (!wait.ownerKnown && !/owner unknown/i.test(wait.text)) {
    node.appendChild(document.createTextNode(' '));
    node.appendChild(textNode('span', `${CLASS}-ownerUnknown`, trans.__('owner unknown')));
  }
  return node;
}

function renderFrame(frame: IThreadFrame, key: string, isOpen: FoldState, trans: TranslationBundle): HTMLElement {
  const head = [
    textNode('span', `${CLASS}-function`, frame.name),
    textNode('span', `${CLASS}-line`, trans.__('line %1', frame.line))
  ];
  if (frame.code) {
    head.push(textNode('code', `${CLASS}-code`, frame.code));
  }
  const content = [textNode('div', `${CLASS}-path`, frame.path)];
  if (frame.rows.length) {
    content.push(
      textTable(
        `${CLASS}-locals`,
        [],
        frame.rows.map(row => [row.name, row.type, row.summary])
      )
    );
  }
  // The user's own frames open, libraries' folded: the cell's line matters first.
  const node = fold(`${CLASS}-frame`, key, isOpen(key, frame.user), head, content);
  node.classList.toggle('jp-mod-user', frame.user);
  return node;
}

function kindLabel(thread: IThread, trans: TranslationBundle): string {
  const kinds: Record<IThread['kind'], string> = {
    main: trans.__('main'),
    user: trans.__('user'),
    kernel: trans.__('kernel'),
    debugger: trans.__('debugger'),
    probe: trans.__('probe')
  };
  return thread.daemon ? trans.__('%1, daemon', kinds[thread.kind]) : kinds[thread.kind];
}

/** "Active", "Blocked: sleeps in time.sleep", or "state unknown". */
export function stateLabel(thread: IThread, trans: TranslationBundle): string {
  switch (thread.state) {
    case 'active':
      return trans.__('Active');
    case 'blocked':
      return thread.blockedOn ? trans.__('Blocked: %1', thread.blockedOn) : trans.__('Blocked');
    default:
      return trans.__('state unknown');
  }
}

/** A blocking module as the view names it: the module's name, or "cell" for a cell's own code. */
export function moduleLabel(module: string, trans: TranslationBundle): string {
  return module === '__main__' ? trans.__('cell') : module;
}
