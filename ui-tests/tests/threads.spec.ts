/**
 * The Threads view, as a person uses it in Chromium: a cell that deadlocks
 * with a thread it started is read live, without the debugger, from a
 * background tab whose badge calls for attention; the view draws the cycle,
 * each row says on what its thread is blocked, the toolbar's filters narrow
 * the list, and restarting the kernel ends it.
 */
import { expect, test } from '@jupyterlab/galata';
import { downTab, openFixture, openView } from './helpers';

test.describe('Threads', () => {
  // Galata's stand-in for the kernels API answers a restart with 201 where the
  // server says 200, so JupyterLab takes the restart as failed and never
  // reconnects: restarts here go to the real server, as a person's do.
  test.use({ kernels: null });

  test('a cell deadlocked with its worker shows the cycle, and a restart ends it', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'threads_deadlock.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await page.notebook.runCell(1, { inplace: true, wait: false });

    // The debugger stays off: the views read the running cell from a subshell.
    const threads = await openView(page, 'Threads');
    // Another view in front: Threads keeps reading from its background tab.
    await openView(page, 'Counters');
    const tab = downTab(page, 'Threads');
    await expect(tab).toHaveAttribute('data-ml-attention', '1', { timeout: 20000 });
    await expect(tab).toHaveAttribute('title', /deadlock/);
    await tab.click();
    await expect(tab).not.toHaveAttribute('data-ml-attention');
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

    // Each row says the thread is blocked, on what, and in which module; the toolbar narrows the list.
    const row = (name: string) =>
      threads.locator('.jp-MLDebuggerThreads-thread', {
        has: page.locator(':scope > summary > .jp-MLDebuggerThreads-name', { hasText: name })
      });
    const main = row('MainThread').locator(':scope > summary');
    await expect(main.locator('.jp-MLDebuggerThreads-state')).toHaveText('Blocked: waits for lock log_lock');
    await expect(main.locator('.jp-MLDebuggerThreads-module')).toHaveText('threading');
    const stateFilter = threads.getByRole('combobox', { name: 'Show threads in this state' });
    const moduleFilter = threads.getByRole('combobox', { name: 'Show only threads blocked in this module' });
    await moduleFilter.selectOption('threading');
    await expect(row('logger')).toBeVisible();
    await stateFilter.selectOption('active');
    await expect(threads.getByText('No thread matches the filter.')).toBeVisible();
    await stateFilter.selectOption('all');
    await moduleFilter.selectOption('');
    await expect(row('MainThread')).toBeVisible();

    // A Lock deadlocked in C ignores an interrupt: restarting the kernel ends it.
    await page.menu.clickMenuItem('Kernel>Restart Kernel…');
    await page.getByRole('button', { name: 'Confirm Kernel Restart' }).click();
    await page.getByText('Python 3 (ipykernel) | Idle').waitFor();
    await expect(threads.locator('.jp-MLDebuggerThreads-deadlock')).toHaveCount(0, {
      timeout: 20000
    });
    // The new kernel runs cells again.
    await page.notebook.setCell(1, 'code', 'print("back after the restart")');
    await page.notebook.runCell(1, { inplace: true });
    expect(await page.notebook.getCellTextOutput(1)).toEqual(['back after the restart\n']);
  });
});
