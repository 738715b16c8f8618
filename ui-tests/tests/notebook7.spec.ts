/**
 * The ML debugger in Jupyter Notebook 7's notebook page, as a person uses it
 * in Chromium at 1366×768: Variable Values in Notebook 7's debugger panel,
 * the other views as tabs below the notebook, opened from the "ML Debugger"
 * menu beside the main menu (Notebook 7 has no status bar), and a tensor
 * viewer, which JupyterLab opens beside the notebook, below it.
 *
 * Galata's page fixture is made for JupyterLab: here it loads no page of its
 * own, and the spec goes to /notebooks/<path> and uses plain locators.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import * as path from 'path';

test.use({
  appPath: '',
  autoGoto: false,
  waitForApplication: async ({}, use) => {
    await use(async page => {
      await page.locator('#main-panel .jp-Notebook').waitFor();
    });
  }
});

/** The notebook's cells. */
function cells(page: Page): Locator {
  return page.locator('#main-panel .jp-Notebook .jp-Cell');
}

/** Runs a cell as a person does: into its editor, then Ctrl+Enter. */
async function runCell(page: Page, index: number): Promise<void> {
  await cells(page).nth(index).locator('.cm-content').click();
  await page.keyboard.press('Control+Enter');
}

/** Opens a view from the "ML Debugger" menu; returns its tab content below the notebook. */
async function openView(page: Page, label: string, id: string): Promise<Locator> {
  await page.locator('#menu-panel').getByRole('button', { name: /ML Debugger views/ }).click();
  await page.getByRole('menuitem', { name: new RegExp(`^${label}( \\(\\d+\\))?$`) }).click();
  return page.locator(`#jp-down-stack #${id}`);
}

test.describe('Notebook 7', () => {
  test('stopped at a breakpoint: values in the debugger panel, the other views below the notebook', async ({
    page,
    tmpPath
  }) => {
    const name = 'ten_locals.ipynb';
    await page.contents.uploadFile(
      path.resolve(__dirname, '../notebooks', name),
      `${tmpPath}/${name}`
    );
    await page.goto(`notebooks/${tmpPath}/${name}`);
    const bug = page.locator('.jp-DebuggerBugButton');
    // Enabled once Notebook 7 knows the kernel can debug.
    await expect(bug).toBeEnabled({ timeout: 30000 });
    // Import torch before the debugger traces the kernel.
    await runCell(page, 0);
    await expect(cells(page).nth(0).locator('.jp-InputPrompt')).toHaveText('[1]:', {
      timeout: 60000
    });
    await bug.click();
    await expect(bug).toHaveAttribute('aria-pressed', 'true');
    // `return loss` in `train_step`.
    const line = cells(page)
      .nth(1)
      .locator('.cm-gutters > .cm-breakpoint-gutter > .cm-gutterElement')
      .nth(12);
    await line.click({ position: { x: 5, y: 5 } });
    await expect(line.locator('.cm-breakpoint-icon')).toBeVisible();
    // Notebook 7 leaves its debugger panel closed until the person opens it.
    await page.getByRole('menuitem', { name: 'View' }).click();
    await page.getByRole('menuitem', { name: 'Debugger Panel' }).click();
    await runCell(page, 1);

    const panel = page.locator('#jp-right-stack #jp-debugger-sidebar');
    await expect(panel.locator('.jp-DebuggerCallstackFrame').first()).toContainText('train_step');
    const values = panel.locator('.jp-MLDebuggerValues');
    const summaries = values.locator('.jp-MLDebuggerValues-row > .jp-MLDebuggerValues-summary');
    await expect(summaries).toHaveCount(10);
    await expect(
      values.locator('.jp-MLDebuggerValues-row[data-name="inputs"] > .jp-MLDebuggerValues-summary')
    ).toContainText('Tensor[32, 3, 8, 8] float32 cpu');
    // The sections keep the shares they have in JupyterLab: eight values on screen.
    for (let i = 0; i < 8; i++) {
      await expect(summaries.nth(i)).toBeInViewport({ ratio: 1 });
    }

    const watch = await openView(page, 'Watch', 'jp-MLDebuggerWatch');
    await expect(watch).toBeVisible();
    const threads = await openView(page, 'Threads', 'jp-MLDebuggerThreads');
    await expect(threads).toBeVisible();
    await expect(watch).toBeHidden();
    await expect(threads.locator('.jp-MLDebuggerThreads-thread').first()).toContainText(
      'MainThread'
    );
    await expect(threads).toContainText('train_step');

    await values
      .locator('.jp-MLDebuggerValues-row[data-name="logits"]')
      .first()
      .click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Open in Tensor Viewer' }).click();
    const viewer = page.locator('#jp-down-stack .jp-MLDebuggerViewer');
    await expect(viewer.locator('.jp-MLDebuggerViewer-heatmap')).toBeVisible();
    await expect(page.locator('#jp-down-stack .lm-TabBar-tab.lm-mod-current')).toHaveText(
      'View: logits'
    );
    // The notebook stays where it was.
    await expect(cells(page).nth(1)).toBeVisible();

    await panel.getByRole('button', { name: 'Continue (F9)' }).click();
    await expect(cells(page).nth(1).locator('.jp-InputPrompt')).toHaveText('[2]:');
  });
});
