/**
 * Where the "ML Debugger" button lives: at the left of JupyterLab's status
 * bar. Notebook 7 has no status bar; there the button sits in the menu bar's
 * row, right of the menus, where Notebook 7 shows its own kernel status, and
 * its menu opens downward.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { IStatusBar } from '@jupyterlab/statusbar';
import { LAUNCHER_STATUS_ITEM, ViewsLauncher } from './launcher';

/** After Notebook 7's menus (rank 900), before its kernel status (rank 10 010). */
const MENU_ROW_RANK = 1000;

/** Makes the button and puts it in the status bar, or in the menu bar's row without one. */
export function placeLauncher(
  shell: JupyterFrontEnd.IShell,
  statusBar: IStatusBar | null,
  options: ViewsLauncher.IOptions
): ViewsLauncher {
  if (statusBar) {
    const item = new ViewsLauncher(options);
    statusBar.registerStatusItem(LAUNCHER_STATUS_ITEM, { item, align: 'left', rank: 5 });
    return item;
  }
  const item = new ViewsLauncher({ ...options, opensDown: true });
  item.id = 'jp-MLDebuggerLauncher';
  shell.add(item, 'menu', { rank: MENU_ROW_RANK });
  return item;
}
