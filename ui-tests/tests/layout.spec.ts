/**
 * How the extension meets a person on a laptop, in JupyterLab's default
 * layout at 1366×768 (nothing folded, resized or moved by the test): values
 * on screen beside JupyterLab's own sections, JupyterLab's kernel status and
 * gutter left as they are without the extension, every view two clicks away
 * from the notebook, and the layout a person makes kept across a reload.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { callstackFrames, downTab, downView, openFixture, openView, switchDebuggerOn } from './helpers';

/** Every view of the down area, in the menu's order. */
const VIEWS = ['Watch', 'Checks', 'Trace', 'Type Structure', 'Threads', 'Counters', 'Exceptions', 'Modules'];

/** How much of an element the viewport shows, clipping by scrolled panels included. */
function shownRatio(locator: Locator): Promise<number> {
  return locator.evaluate(
    element =>
      new Promise<number>(resolve => {
        const observer = new IntersectionObserver(([entry]) => {
          observer.disconnect();
          resolve(entry.intersectionRatio);
        });
        observer.observe(element);
      })
  );
}

/** JupyterLab's kernel status in the status bar: "Python 3 (ipykernel) | Busy". */
function kernelStatus(page: IJupyterLabPageFixture): Locator {
  return page.locator('#jp-main-statusbar').getByText(/^Python 3 \(ipykernel\) \| /);
}

test.describe('Layout on a laptop screen', () => {
  test('stopped with ten locals: eight values, two frames and two breakpoints on screen', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'ten_locals.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await switchDebuggerOn(page);
    await page.notebook.waitForCellGutter(1);
    // `return loss` in `train_step`, and the call below it.
    await page.notebook.clickCellGutter(1, 12);
    await page.notebook.clickCellGutter(1, 15);
    await page.debugger.waitForBreakPoints();
    await page.notebook.runCell(1, { inplace: true, wait: false });
    await expect(callstackFrames(page).first()).toContainText('<module>');
    await page.getByRole('button', { name: 'Continue (F9)' }).click();
    await expect(callstackFrames(page).first()).toContainText('train_step');

    const summaries = page.sidebar
      .getContentPanelLocator('right')
      .locator('.jp-MLDebuggerValues-row > .jp-MLDebuggerValues-summary');
    await expect(summaries).toHaveCount(10);
    for (let i = 0; i < 8; i++) {
      await expect(summaries.nth(i)).toBeInViewport({ ratio: 1 });
    }
    for (const locator of [callstackFrames(page), page.locator('.jp-DebuggerBreakpoint')]) {
      await expect(locator).toHaveCount(2);
      await expect(locator.nth(0)).toBeInViewport({ ratio: 1 });
      await expect(locator.nth(1)).toBeInViewport({ ratio: 1 });
    }

    await page.getByRole('button', { name: 'Continue (F9)' }).click();
    await page.notebook.waitForRun(1);
  });

  test('the kernel status, execution indicator and favicon read Busy all through a running cell with every view open, Idle after', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'status_sleep.ipynb');
    await switchDebuggerOn(page);
    for (const label of VIEWS) {
      await openView(page, label);
    }
    const status = kernelStatus(page);
    await expect(status).toHaveText(/Idle$/);
    const indicator = (await page.notebook.getToolbarLocator())!.locator(
      '.jp-Notebook-ExecutionIndicator'
    );
    /** What each of JupyterLab's three signals says now. */
    const read = async () => ({
      statusBar: (await status.innerText()).replace(/^.*\| /, ''),
      indicator: await indicator.getAttribute('data-status'),
      favicon: await page.evaluate(() =>
        document.querySelector('link[rel="icon"]')?.classList.contains('busy') ? 'busy' : 'idle'
      )
    });

    await page.notebook.runCell(0, { inplace: true, wait: false });
    await expect(status).toHaveText(/Busy$/);
    const samples: Awaited<ReturnType<typeof read>>[] = [];
    // The cell sleeps for ten seconds; our views poll meanwhile.
    for (let i = 0; i < 8; i++) {
      await page.waitForTimeout(1000);
      samples.push(await read());
    }
    expect(samples).toEqual(Array(8).fill({ statusBar: 'Busy', indicator: 'busy', favicon: 'busy' }));
    await page.notebook.waitForRun(0);
    await expect(status).toHaveText(/Idle$/, { timeout: 2000 });
    expect(await read()).toEqual({ statusBar: 'Idle', indicator: 'idle', favicon: 'idle' });
  });

  test('a gutter click right after switching the debugger on sets one breakpoint at once', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'ten_locals.ipynb');
    const toolbar = await page.notebook.getToolbarLocator();
    const bug = toolbar!.locator('.jp-DebuggerBugButton');
    // Clickable once JupyterLab knows the kernel can debug.
    await expect(bug).toBeEnabled();
    await bug.click();
    const cell = (await page.notebook.getCellLocator(1))!;
    // The gutter JupyterLab adds when the debugger comes on: clicked the moment it is there.
    const line = cell.locator('.cm-gutters > .cm-breakpoint-gutter > .cm-gutterElement').nth(12);
    await line.click({ position: { x: 5, y: 5 } });
    await expect(line.locator('.cm-breakpoint-icon')).toBeVisible({ timeout: 1000 });
    await expect(page.locator('.jp-DebuggerBreakpoint')).toHaveCount(1, { timeout: 1000 });
    await page.waitForTimeout(2000);
    await expect(page.locator('.jp-DebuggerBreakpoint')).toHaveCount(1);
  });

  test('every view is two clicks from the notebook, and the views a person opened come back after a reload', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'ten_locals.ipynb');
    for (const label of VIEWS) {
      const view = await openView(page, label);
      await expect(view).toBeVisible();
      await expect(downTab(page, label)).toHaveClass(/lm-mod-current/);
    }
    // A person closes one view, and makes the area below the notebook taller.
    await downTab(page, 'Modules').locator('.lm-TabBar-tabCloseIcon').click();
    await expect(downTab(page, 'Modules')).toHaveCount(0);
    await downTab(page, 'Threads').click();
    const area = page.locator('#jp-down-stack');
    const before = (await area.boundingBox())!;
    const handle = page.locator('#jp-main-vsplit-panel > .lm-SplitPanel-handle').first();
    const grip = (await handle.boundingBox())!;
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(grip.x + grip.width / 2, grip.y - 100, { steps: 5 });
    await page.mouse.up();
    const height = (await area.boundingBox())!.height;
    expect(height).toBeGreaterThan(before.height + 50);

    // JupyterLab saves the workspace 750 ms after the last change.
    await page.waitForTimeout(1500);
    // Galata's own wait expects the Launcher in front; here the notebook is.
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect(downView(page, 'Threads')).toBeVisible();
    for (const label of VIEWS.filter(l => l !== 'Modules')) {
      await expect(downTab(page, label)).toHaveCount(1);
    }
    await expect(downTab(page, 'Modules')).toHaveCount(0);
    expect(Math.abs((await area.boundingBox())!.height - height)).toBeLessThan(8);
  });
});
