/**
 * Variable Values in the debugger sidebar: placed right below JupyterLab's
 * Variables, and weighted so that on a laptop's screen (1366×768) it shows
 * eight values while Callstack and Breakpoints keep two rows each and
 * Variables most of its own room. The weights are relative, so they hold at
 * any height; once the user resizes the sections, JupyterLab restores the
 * user's sizes over these.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { Widget } from '@lumino/widgets';

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
  expand?: (index: number) => void;
}

function accordionOf(sidebar: IDebugger.ISidebar): IAccordion | undefined {
  return (sidebar as unknown as { content?: IAccordion }).content;
}

/** Puts Variable Values below JupyterLab's Variables and weights the sections. */
export function placeValuesSection(sidebar: IDebugger.ISidebar, section: Widget): void {
  const accordion = accordionOf(sidebar);
  const variables = accordion?.widgets?.findIndex(w => w.hasClass('jp-DebuggerVariables')) ?? -1;
  sidebar.insertWidget(variables + 1, section);
  if (accordion?.widgets && accordion.setRelativeSizes) {
    accordion.setRelativeSizes(sectionWeights(accordion.widgets));
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
