/**
 * Variable Values in the debugger sidebar: placed right below JupyterLab's
 * Variables, and given, the first time the sidebar shows, room for eight
 * values while Callstack and Breakpoints keep two rows each. The sidebar's
 * sections are otherwise JupyterLab's: once the user resizes them, JupyterLab
 * restores their sizes, and this never sizes them again.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { IStateDB } from '@jupyterlab/statedb';
import type { Widget } from '@lumino/widgets';

/** Where the state database remembers that the sidebar was sized once. */
const SIZED_KEY = 'jupyterlab-ml-debugger:sidebar-sized';

/**
 * Heights each section wants, in pixels below its title, by its class; a
 * section not named here (Kernel Sources, Sources) gets `OTHER`, and
 * JupyterLab's Variables everything left.
 */
export const WANTED_HEIGHTS: Readonly<Record<string, number>> = {
  // Its subtitle, the frame's heading and eight 20 px rows.
  'jp-MLDebuggerValues': 216,
  // Two 24 px frames.
  'jp-DebuggerCallstack': 56,
  // A cell's heading and two breakpoints.
  'jp-DebuggerBreakpoints': 80
};
const OTHER = 50;
const VARIABLES = 'jp-DebuggerVariables';

/** The accordion of the sidebar's sections: its widgets and their sizes. */
interface IAccordion {
  readonly widgets: readonly Widget[];
  readonly titles: readonly HTMLElement[];
  readonly node: HTMLElement;
  setRelativeSizes(sizes: number[]): void;
}

function accordionOf(sidebar: IDebugger.ISidebar): IAccordion | null {
  const content = (sidebar as unknown as { content?: Partial<IAccordion> }).content;
  return content?.setRelativeSizes && content.widgets && content.titles ? (content as IAccordion) : null;
}

/**
 * The relative sizes that give each section of an accordion of `height`
 * pixels (titles and handles included) what it wants, JupyterLab's
 * Variables the rest; when there is less room than that, every section
 * shrinks in proportion.
 */
export function sectionSizes(
  classes: readonly string[],
  height: number,
  titlesHeight: number,
  handle = 4
): number[] {
  const room = Math.max(0, height - titlesHeight - handle * (classes.length - 1));
  const wanted = classes.map(c => (c === VARIABLES ? 0 : (WANTED_HEIGHTS[c] ?? OTHER)));
  const needed = wanted.reduce((a, b) => a + b, 0);
  const left = room - needed;
  const variablesIndex = classes.indexOf(VARIABLES);
  if (left >= 0) {
    if (variablesIndex >= 0) {
      wanted[variablesIndex] = left;
    }
    return wanted;
  }
  const scale = needed > 0 ? room / needed : 0;
  return wanted.map(w => w * scale);
}

/** Puts Variable Values below JupyterLab's Variables and sizes the sidebar once. */
export function placeValuesSection(
  sidebar: IDebugger.ISidebar,
  section: Widget,
  options: { state: IStateDB | null; restored: Promise<unknown> }
): void {
  const accordion = accordionOf(sidebar);
  const variables = accordion?.widgets.findIndex(w => w.hasClass(VARIABLES)) ?? -1;
  sidebar.insertWidget(variables + 1, section);
  if (!accordion) {
    return;
  }
  void options.restored.then(async () => {
    const { state } = options;
    if (state && (await state.fetch(SIZED_KEY))) {
      return;
    }
    const size = () => {
      const height = accordion.node.clientHeight;
      if (!height) {
        return false;
      }
      const classes = accordion.widgets.map(
        w => [VARIABLES, ...Object.keys(WANTED_HEIGHTS)].find(c => w.hasClass(c)) ?? ''
      );
      const titles = accordion.titles.reduce((sum, t) => sum + t.offsetHeight, 0);
      accordion.setRelativeSizes(sectionSizes(classes, height, titles));
      void state?.save(SIZED_KEY, true);
      return true;
    };
    if (!size()) {
      // The sidebar is closed: size it the first time it opens.
      const observer = new ResizeObserver(() => {
        if (size()) {
          observer.disconnect();
        }
      });
      observer.observe(accordion.node);
    }
  });
}
