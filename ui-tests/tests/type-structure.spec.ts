/**
 * Type Structure and the tensor viewer, as a person uses them in Chromium: the
 * structure of a model while stopped, the viewer of a tensor with a NaN, and a
 * 10,000-module model that stays light to scroll and search.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { downView, openFixture, switchDebuggerOn } from './helpers';

function valueRow(page: IJupyterLabPageFixture, name: string): Locator {
  return page.sidebar
    .getContentPanelLocator('right')
    .locator(`.jp-MLDebuggerValues .jp-MLDebuggerValues-row[data-name="${name}"]`)
    .first();
}

/** The Type Structure view, which "Show Type Structure" opens below the notebook. */
function structureView(page: IJupyterLabPageFixture): Locator {
  return downView(page, 'Type Structure').locator('.jp-MLDebuggerStructure-body');
}

async function fromContextMenu(page: IJupyterLabPageFixture, row: Locator, item: string): Promise<void> {
  await row.click({ button: 'right' });
  await page.getByRole('menuitem', { name: item }).click();
}

test.describe('Type Structure and the tensor viewer', () => {
  test('while stopped: a model shows its parameter shapes, a tensor its NaN cell', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'type_structure.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await switchDebuggerOn(page);
    await page.notebook.waitForCellGutter(1);
    // `return y.sum()` inside `inspect`.
    await page.notebook.clickCellGutter(1, 12);
    await page.debugger.waitForBreakPoints();
    await page.notebook.runCell(1, { inplace: true, wait: false });
    await page.debugger.waitForCallStack();

    await expect(valueRow(page, 'model')).toBeVisible();
    await fromContextMenu(page, valueRow(page, 'model'), 'Show Type Structure');
    const structure = structureView(page);
    const fc = structure.locator('.jp-MLDebuggerStructure-module[data-path="fc"]');
    await expect(fc).toContainText('weight [5, 10]');
    await expect(fc).toContainText('55 params');
    await expect(structure.locator('.jp-MLDebuggerStructure-title')).toContainText('model: __main__.Net');

    await fromContextMenu(page, valueRow(page, 'x'), 'Open in Tensor Viewer');
    const viewer = page.locator('.jp-MLDebuggerViewer');
    await expect(viewer.locator('.jp-MLDebuggerViewer-legend')).toContainText('1 NaN');
    const heatmap = viewer.locator('.jp-MLDebuggerViewer-heatmap');
    const box = await heatmap.boundingBox();
    if (!box) {
      throw new Error('the heatmap is not on screen');
    }
    // The cell of row 1, column 2 of the 3 × 10 tensor.
    await page.mouse.move(box.x + (2.5 / 10) * box.width, box.y + (1.5 / 3) * box.height);
    await expect(viewer.locator('.jp-MLDebuggerViewer-readout')).toHaveText('[1, 2] = nan');
    await page.mouse.move(box.x + (0.5 / 10) * box.width, box.y + (0.5 / 3) * box.height);
    await expect(viewer.locator('.jp-MLDebuggerViewer-readout')).toHaveText('[0, 0] = 0');

    await page.getByRole('button', { name: 'Continue (F9)' }).click();
    // The viewer took the focus; the notebook's kernel status shows with the notebook.
    await page.activity.activateTab('type_structure.ipynb');
    await page.notebook.waitForRun(1);
  });

  test('a 10,000-module model keeps about 200 rows in the page, and search reveals a deep one', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'type_structure.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await page.notebook.runCell(2, { inplace: true });
    await switchDebuggerOn(page);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('ml-debugger:show-type-structure', {
        label: 'big',
        path: [{ kind: 'name', name: 'big' }]
      })
    );
    const structure = structureView(page);
    await expect(structure.locator('.jp-MLDebuggerStructure-totals')).toContainText(
      '10,001 modules, 60,000 parameters'
    );
    const rows = structure.locator('.jp-MLDebuggerStructure-module');
    await expect(rows.first()).toBeVisible();
    expect(await rows.count()).toBeLessThanOrEqual(200);

    await structure.getByRole('searchbox').fill('9999');
    const deep = structure.locator('.jp-MLDebuggerStructure-module[data-path="9999"]');
    await expect(deep).toBeVisible();
    await expect(deep).toContainText('weight [2, 2]');
    expect(await rows.count()).toBeLessThanOrEqual(200);
  });

  test("JupyterLab's own Variables panel offers the structure of a variable", async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'type_structure.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await page.notebook.runCell(1, { inplace: true });
    await switchDebuggerOn(page);
    const variable = page.sidebar
      .getContentPanelLocator('right')
      .locator('.jp-DebuggerVariables-body .jp-TreeItem')
      .filter({ has: page.locator('.jp-DebuggerVariables-name', { hasText: /^net$/ }) });
    await fromContextMenu(page, variable, 'Show Type Structure');
    await expect(structureView(page).locator('.jp-MLDebuggerStructure-module[data-path="fc"]')).toContainText(
      'weight [5, 10]'
    );
  });
});
