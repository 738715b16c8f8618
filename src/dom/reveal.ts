/**
 * Fold and unfold sections of the debugger sidebar: bring one into view, as a
 * command that fills a section should, or start one folded. The sidebar holds
 * thirteen sections; those a person opens when something goes wrong (threads,
 * counters, exceptions, modules) start folded, and ask the kernel nothing
 * until they are opened.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { IDebugger } from '@jupyterlab/debugger';
import type { Widget } from '@lumino/widgets';

interface IAccordion {
  expand?: (index: number) => void;
  collapse?: (index: number) => void;
}

/** The accordion holding the sidebar's sections, and the section's place in it. */
function placeOf(sidebar: IDebugger.ISidebar, section: Widget): [IAccordion | undefined, number] {
  // The debugger's sidebar is a SidePanel whose sections sit in an accordion.
  const accordion = (sidebar as unknown as { content?: IAccordion }).content;
  return [accordion, sidebar.widgets.indexOf(section)];
}

export function revealSection(app: JupyterFrontEnd, sidebar: IDebugger.ISidebar, section: Widget): void {
  app.shell.activateById(sidebar.id);
  const [accordion, index] = placeOf(sidebar, section);
  if (index >= 0) {
    accordion?.expand?.(index);
  }
}

export function startFolded(sidebar: IDebugger.ISidebar, section: Widget): void {
  const [accordion, index] = placeOf(sidebar, section);
  if (index >= 0) {
    accordion?.collapse?.(index);
  }
}
