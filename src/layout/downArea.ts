/**
 * Bringing a widget forward, and a tab of the down area with it, whichever
 * shell holds it.
 * JupyterLab's shell selects the tab and opens the area at its last height.
 * Notebook 7.6's (its down area came in 7.4) shows the area and nothing
 * more: the tab stays behind the one in front, and an area opened for the
 * first time shows its tab bar with no room below it. Here the tab is
 * selected, and an area the shell opened without room gets the quarter of
 * the page's height JupyterLab opens it with. In JupyterLab neither happens.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { Widget } from '@lumino/widgets';
import { SplitPanel, TabPanel } from '@lumino/widgets';

/** The share of the page's height an area opened without room gets (JupyterLab's default). */
const OPENED_SHARE = 0.25;

/** Content lower than this is no room: a tab bar with nothing readable below it. */
const NO_ROOM_PX = 20;

/** Activates `widget`; a tab of the down area is also selected and given room. */
export function bringForward(shell: JupyterFrontEnd.IShell, widget: Widget): void {
  const parent = widget.parent?.parent;
  const area = parent instanceof TabPanel ? parent : null;
  const wasHidden = area?.isHidden ?? false;
  shell.activateById(widget.id);
  if (!area) {
    return;
  }
  if (area.currentWidget !== widget) {
    area.currentWidget = widget;
  }
  const split = area.parent;
  if (wasHidden && split instanceof SplitPanel) {
    // Once the shell's layout has given the area its height.
    requestAnimationFrame(() => giveRoom(split, area));
  }
}

function giveRoom(split: SplitPanel, area: TabPanel): void {
  if (area.isDisposed || !area.isVisible || area.stackedPanel.node.clientHeight >= NO_ROOM_PX) {
    return;
  }
  const index = split.widgets.indexOf(area);
  const sizes = split.relativeSizes();
  const others = sizes.reduce((sum, size, i) => (i === index ? sum : sum + size), 0);
  split.setRelativeSizes(
    sizes.map((size, i) =>
      i === index ? OPENED_SHARE : others > 0 ? (size / others) * (1 - OPENED_SHARE) : 0
    )
  );
}
