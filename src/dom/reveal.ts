/**
 * Bring a section of the debugger sidebar into view: the sidebar shown and
 * the section unfolded, as a command that fills a section should.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { IDebugger } from '@jupyterlab/debugger';
import type { Widget } from '@lumino/widgets';

export function revealSection(app: JupyterFrontEnd, sidebar: IDebugger.ISidebar, section: Widget): void {
  app.shell.activateById(sidebar.id);
  // The debugger's sidebar is a SidePanel whose sections sit in an accordion.
  const accordion = (sidebar as unknown as { content?: { expand?: (i: number) => void } }).content;
  const index = sidebar.widgets.indexOf(section);
  if (index >= 0) {
    accordion?.expand?.(index);
  }
}
