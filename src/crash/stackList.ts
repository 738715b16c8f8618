/**
 * A stack as the Crash and Hang view lists it, whoever read it (faulthandler
 * at a fatal signal, the probe's hang look, py-spy from outside): each
 * frame's function, line, source line and file, native frames marked; a
 * thread as a foldable block named in its summary. Text only.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { textNode } from '../dom/text';

const CLASS = 'jp-MLDebuggerCrash';

/** One frame; what a reader does not know it leaves out. */
export interface IListedFrame {
  name: string;
  path: string;
  line: number | null;
  /** Source of the current line, when the reader has it. */
  code?: string | null;
  /** A frame of native code (py-spy). */
  native?: boolean;
  /** A frame of the user's own code. */
  user?: boolean;
}

/** The frames, innermost first. */
export function frameList(frames: readonly IListedFrame[], trans: TranslationBundle): HTMLOListElement {
  const list = document.createElement('ol');
  list.className = `${CLASS}-frames`;
  for (const frame of frames) {
    const item = document.createElement('li');
    item.className = `${CLASS}-frame`;
    item.classList.toggle('jp-mod-native', frame.native === true);
    item.classList.toggle('jp-mod-user', frame.user === true);
    if (frame.native) {
      item.appendChild(textNode('span', `${CLASS}-native`, trans.__('native')));
    }
    item.appendChild(textNode('span', `${CLASS}-function`, frame.name));
    if (frame.line !== null) {
      item.appendChild(textNode('span', `${CLASS}-line`, trans.__('line %1', frame.line)));
    }
    if (frame.code) {
      item.appendChild(textNode('code', `${CLASS}-code`, frame.code));
    }
    item.appendChild(textNode('span', `${CLASS}-path`, frame.path));
    list.appendChild(item);
  }
  return list;
}

/** A thread: its name and what marks it (null: nothing) in the summary, its frames inside. */
export function threadBlock(
  name: string,
  mark: string | null,
  open: boolean,
  frames: readonly IListedFrame[],
  trans: TranslationBundle
): HTMLDetailsElement {
  const details = document.createElement('details');
  details.className = `${CLASS}-thread`;
  details.open = open;
  const summary = document.createElement('summary');
  summary.appendChild(textNode('span', `${CLASS}-name`, name));
  if (mark !== null) {
    summary.appendChild(textNode('span', `${CLASS}-current`, mark));
  }
  details.appendChild(summary);
  details.appendChild(frameList(frames, trans));
  return details;
}
