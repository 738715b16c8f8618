/**
 * The Checks view, as a person uses it in Chromium: a model watched for
 * NaN/Inf stops the run in the module that made the first NaN, and the
 * view names it with its inputs and outputs.
 */
import { expect, test } from '@jupyterlab/galata';
import { openFixture, openView, switchDebuggerOn } from './helpers';

test.describe('Checks', () => {
  test('the origin of the first NaN is reported after the run stops at it', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'checks_origin.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await page.notebook.runCell(1, { inplace: true });
    await switchDebuggerOn(page);
    const checks = (await openView(page, 'Checks')).locator('.jp-MLDebuggerChecks-body');

    await page.notebook.runCell(2, { inplace: true, wait: false });
    await page.debugger.waitForCallStack();
    // The run stopped inside the watch's hook, where the origin's values are.
    await expect(
      page.locator('.jp-DebuggerCallstackFrame-name').first()
    ).toHaveText('stop_at_origin');

    await expect(checks.locator('.jp-MLDebuggerChecks-origin')).toHaveText(
      '1 (LogAct) created the first NaN/Inf in the forward pass of step 0: its inputs were finite.'
    );
    await expect(checks.locator('.jp-MLDebuggerChecks-facts')).toContainText('output');
    await expect(checks.locator('.jp-MLDebuggerChecks-watch')).toContainText('Watching model');

    await page.getByRole('button', { name: 'Continue (F9)' }).click();
    await page.notebook.waitForRun(2);

    // Removing the watch takes every hook away, and the view says so.
    await checks.getByRole('button', { name: 'Remove' }).click();
    await expect(checks.locator('.jp-MLDebuggerChecks-watch')).toHaveCount(0);
  });
});
