/**
 * The Threads section, as a person uses it in Chromium: a cell that
 * deadlocks with a thread it started is read live, without the debugger,
 * and the section draws the cycle; restarting the kernel ends it.
 */
import { expect, test } from '@jupyterlab/galata';
import { foldSections, openFixture, unfoldSections } from './helpers';

test.describe('Threads', () => {
  test('a cell deadlocked with its worker shows the cycle, and a restart ends it', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'threads_deadlock.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await page.notebook.runCell(1, { inplace: true, wait: false });

    // The debugger stays off: the sections read the running cell from a subshell.
    await page.sidebar.openTab('jp-debugger-sidebar');
    await foldSections(page, [
      'Variables Section',
      'Callstack Section',
      'Breakpoints Section',
      'Kernel Sources Section',
      'Variable Values Section',
      'Watch Section',
      'Trace Section',
      'Type Structure Section',
      'Checks Section'
    ]);
    // The live sections start folded, asking nothing until opened.
    await unfoldSections(page, ['Threads Section']);
    await page.evaluate(() => window.jupyterapp.commands.execute('ml-debugger:refresh-threads'));
    const threads = page.sidebar.getContentPanelLocator('right').locator('#jp-MLDebuggerThreads');
    const deadlock = threads.locator('.jp-MLDebuggerThreads-deadlock');
    await expect(deadlock).toBeVisible({ timeout: 20000 });
    await expect(deadlock.locator('.jp-MLDebuggerThreads-chain')).toHaveText(
      /MainThread → waits for log_lock → held by logger → waits for fit_lock → held by MainThread|logger → waits for fit_lock → held by MainThread → waits for log_lock → held by logger/
    );
    await expect(deadlock.locator('.jp-MLDebuggerThreads-deadlockText')).toContainText(
      'Deadlock: '
    );
    await expect(deadlock.locator('.jp-MLDebuggerThreads-deadlockAdvice')).toContainText(
      'interrupt the kernel'
    );

    // A Lock deadlocked in C ignores an interrupt: restarting the kernel ends it.
    await page.menu.clickMenuItem('Kernel>Restart Kernel…');
    await page.getByRole('button', { name: 'Confirm Kernel Restart' }).click();
    await page.getByText('Python 3 (ipykernel) | Idle').waitFor();
    await expect(threads.locator('.jp-MLDebuggerThreads-deadlock')).toHaveCount(0, {
      timeout: 20000
    });
  });
});
