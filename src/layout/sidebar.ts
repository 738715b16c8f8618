/**
 * Variable Values in the debugger sidebar: placed right below JupyterLab's
 * Variables, and weighted so that on a laptop's screen (1366×768) it shows
 * eight values while Callstack and Breakpoints keep two rows each and
 * Variables most of its own room. The weights are relative, so they hold at
 * any height; once the user resizes the sections, JupyterLab restores the
 * user's sizes over these. Notebook 7 shows the same sidebar in its right
 * side panel, where the weights are set again once it has its height.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { IMessageHandler, Message } from '@lumino/messaging';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

/**
 * Each section's share, by its class, as pixels of the 514 px a 1366×768
 * window leaves below the sidebar's five titles; a section not named here
 * (Sources, when JupyterLab shows it) gets `OTHER`.
 */
export const SECTION_WEIGHTS: Readonly<Record<string, number>> = {
  // Nearly the 150 px JupyterLab alone gives it; its own tests want more than 140.
  'jp-DebuggerVariables': 142,
  // Filter line, the frame's heading and eight 20 px rows.
  'jp-MLDebuggerValues': 208,
  // Two frames of 25 px.
  'jp-DebuggerCallstack': 54,
  // A cell's heading and two breakpoints.
  'jp-DebuggerBreakpoints': 72,
  'jp-DebuggerKernelSources-header': 38
};
const OTHER = 38;

/** The relative sizes of sections with these widgets, in order. */
export function sectionWeights(sections: readonly Widget[]): number[] {
  return sections.map(
    w => Object.entries(SECTION_WEIGHTS).find(([c]) => w.hasClass(c))?.[1] ?? OTHER
  );
}

/** The accordion of the debugger sidebar's sections. */
interface IAccordion {
  widgets?: readonly Widget[];
  setRelativeSizes?: (sizes: number[]) => void;
  relativeSizes?: () => number[];
  expand?: (index: number) => void;
}

/** Whether two lists of sizes give each section the same share. */
function sameShares(a: readonly number[], b: readonly number[]): boolean {
  const sum = (v: readonly number[]) => v.reduce((x, y) => x + y, 0);
  const [sa, sb] = [sum(a), sum(b)];
  return a.length === b.length && a.every((x, i) => Math.abs(x / sa - b[i] / sb) < 1e-6);
}

/**
 * Sets the weights again when the sections' first layout on screen was at
 * another height than the one they settle at. Lumino spreads the weights
 * over the room of that first layout, and any room added later over every
 * section alike. JupyterLab first lays the sidebar out at its full height;
 * Notebook 7, showing its side panel, first at about half of it and then,
 * in the same frame, at its full height, which left the sections with
 * nearly equal shares. Sizes set by someone else before (JupyterLab's
 * restored ones) are left alone, and so is every later layout.
 */
function keepWeights(accordion: Widget & IAccordion, weigh: () => void): void {
  const hook = (_: IMessageHandler, msg: Message): boolean => {
    if ((msg.type === 'resize' || msg.type === 'update-request') && accordion.isVisible) {
      MessageLoop.removeMessageHook(accordion, hook);
      const sizes = accordion.relativeSizes?.() ?? [];
      if (!sameShares(sizes, sectionWeights(accordion.widgets ?? []))) {
        return true;
      }
      const height = accordion.node.offsetHeight;
      requestAnimationFrame(() => {
        if (accordion.isVisible && Math.abs(accordion.node.offsetHeight - height) > 1) {
          weigh();
        }
      });
    }
    return true;
  };
  MessageLoop.installMessageHook(accordion, hook);
}

function accordionOf(sidebar: IDebugger.ISidebar): IAccordion | undefined {
  return (sidebar as unknown as { content?: IAccordion }).content;
}

/** Puts Variable Values below JupyterLab's Variables and weights the sections. */
export function placeValuesSection(sidebar: IDebugger.ISidebar, section: Widget): void {
  const accordion = accordionOf(sidebar);
  const variables = accordion?.widgets?.findIndex(w => w.hasClass('jp-DebuggerVariables')) ?? -1;
  sidebar.insertWidget(variables + 1, section);
  if (accordion instanceof Widget && accordion.widgets && accordion.setRelativeSizes) {
    const weigh = () => accordion.setRelativeSizes?.(sectionWeights(accordion.widgets ?? []));
    weigh();
    keepWeights(accordion, weigh);
  }
}

/** Opens the debugger sidebar with a section of it unfolded. */
export function revealSection(
  shell: { activateById(id: string): void },
  sidebar: IDebugger.ISidebar,
  section: Widget
): void {
  shell.activateById(sidebar.id);
  const accordion = accordionOf(sidebar);
  const index = accordion?.widgets?.indexOf(section) ?? -1;
  if (index >= 0) {
    accordion?.expand?.(index);
  }
}
