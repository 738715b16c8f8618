/**
 * Start a section of the debugger sidebar folded. The sidebar already holds
 * thirteen sections; those a person opens when something goes wrong (threads,
 * counters, exceptions, modules) start folded, and ask the kernel nothing
 * until they are opened.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { Widget } from '@lumino/widgets';

export function startFolded(sidebar: IDebugger.ISidebar, section: Widget): void {
  // The debugger's sidebar is a SidePanel whose sections sit in an accordion.
  const accordion = (sidebar as unknown as { content?: { collapse?: (i: number) => void } }).content;
  const index = sidebar.widgets.indexOf(section);
  if (index >= 0) {
    accordion?.collapse?.(index);
  }
}
