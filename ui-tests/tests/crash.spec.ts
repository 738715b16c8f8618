/**
 * The Crash and Hang view, as a person meets it in Chromium with the
 * debugger off: the teaching notebook's null-pointer read kills the
 * kernel, and once JupyterLab has restarted it the view shows how it
 * ended, the cause, the cell and its line (a link back to the cell) and the
 * stack at the signal; the report is still there after a page reload,
 * calls for attention from a background tab, and Dismiss removes it. A C
 * call that holds the GIL leaves the kernel silent, and the view reads its
 * stacks from outside. Every text of ours reaches WCAG AA in JupyterLab
 * Light and Dark.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as path from 'path';
import { expectReadable } from './contrast';
import { downTab, openView } from './helpers';

const NOTEBOOK = '12-crash-and-hang.ipynb';
const LABEL = 'Crash and Hang';
const CLASS = 'jp-MLDebuggerCrash';

function crashView(page: IJupyterLabPageFixture): Locator {
  return page.locator(`#jp-down-stack #${CLASS}`);
}

function kernelIdle(page: IJupyterLabPageFixture): Locator {
  return page.locator('#jp-main-statusbar').getByText('Python 3 (ipykernel) | Idle');
}

/** Opens the view from the status bar's menu, as a person does. */
async function openCrashView(page: IJupyterLabPageFixture): Promise<Locator> {
  await openView(page, LABEL);
  return crashView(page);
}

/** Uploads the teaching notebook, opens it and waits for its kernel. */
async function openExample(page: IJupyterLabPageFixture, tmpPath: string): Promise<void> {
  await page.contents.uploadFile(path.resolve(__dirname, '../../examples', NOTEBOOK), `${tmpPath}/${NOTEBOOK}`);
  await page.notebook.openByPath(`${tmpPath}/${NOTEBOOK}`);
  await kernelIdle(page).waitFor();
}

/** The index of the code cell whose source contains `text`. */
async function cellIndex(page: IJupyterLabPageFixture, text: string): Promise<number> {
  const count = await page.notebook.getCellCount();
  for (let i = 0; i < count; i++) {
    if ((await page.notebook.getCellType(i)) === 'code' && (await page.notebook.getCellTextInput(i)).includes(text)) {
      return i;
    }
  }
  throw new Error(`no code cell holds ${text}`);
}

/** Our texts in `view` reach AA in JupyterLab Light and Dark. */
async function readableInBothThemes(page: IJupyterLabPageFixture, view: Locator, label: string): Promise<void> {
  await expectReadable(view, `${label} in JupyterLab Light`);
  await page.theme.setDarkTheme();
  await expectReadable(view, `${label} in JupyterLab Dark`);
  await page.theme.setLightTheme();
}

test.describe('Crash and Hang', () => {
  // Galata's stand-in for the kernels API answers a restart with 201 where the
  // server says 200, so JupyterLab takes the restart as failed and never
  // reconnects: restarts here go to the real server, as a person's do.
  test.use({ kernels: null });

  test('a kernel killed by a null-pointer read gets a Crash report that survives the restart and a reload, until dismissed', async ({
    page,
    tmpPath
  }) => {
    await openExample(page, tmpPath);
    const view = await openCrashView(page);
    // Opening the view loads the probe, which arms the recorder: no debugger needed.
    await expect(view.locator(`.${CLASS}-recorder`)).toHaveText(/^The crash recorder is armed/, { timeout: 30000 });
    await expect(view.getByText('No crash or hang for this kernel.')).toBeVisible();

    const index = await cellIndex(page, 'ctypes.string_at(0)');
    await page.notebook.selectCells(index);
    await page.keyboard.press('Shift+Enter');
    // JupyterLab's own word on the death, unchanged: it restarts the kernel.
    const died = page.getByRole('dialog').filter({ hasText: 'appears to have died' });
    await died.waitFor({ timeout: 30000 });
    await died.getByRole('button', { name: /ok/i }).click();

    const report = view.locator(`.${CLASS}-report`);
    await expect(report).toBeVisible({ timeout: 20000 });
    await expect(report.locator(`.${CLASS}-ending`)).toHaveText(/^Ended by SIGSEGV \(signal 11\): segmentation fault/);
    await expect(report.locator(`.${CLASS}-cause`)).not.toBeEmpty();
    const link = report.locator(`button.${CLASS}-cellLink`);
    await expect(link).toHaveText(/^In \[\d+\], line 3, in the cell that begins `import ctypes`$/);
    const signalled = report.locator(`details.${CLASS}-thread`).first();
    await expect(signalled.locator(`.${CLASS}-current`)).toHaveText('received the signal');
    await expect(signalled.locator(`.${CLASS}-function`).first()).toHaveText('string_at');
    await readableInBothThemes(page, view, 'Crash report');

    // The link brings the cell that ran last forward, from the top of the notebook.
    await page.notebook.selectCells(0);
    await link.click();
    await expect((await page.notebook.getCellLocator(index))!).toHaveClass(/jp-mod-active/);

    // From a background tab the view calls for attention while the report is there.
    await openView(page, 'Exceptions');
    await expect(downTab(page, LABEL)).toHaveAttribute('data-ml-attention', '1');
    await downTab(page, LABEL).click();

    // The server keeps the report: after a reload it is there, beside the restarted kernel.
    await page.waitForTimeout(1500);
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    const reloaded = crashView(page);
    await expect(reloaded.locator(`.${CLASS}-ending`)).toHaveText(/^Ended by SIGSEGV \(signal 11\)/, { timeout: 30000 });
    await kernelIdle(page).waitFor({ timeout: 60000 });
    await page.notebook.addCell('code', 'print("back after the restart")');
    const back = (await page.notebook.getCellCount()) - 1;
    await page.notebook.runCell(back, { inplace: true });
    expect(await page.notebook.getCellTextOutput(back)).toEqual(['back after the restart\n']);
    await expect(reloaded.locator(`.${CLASS}-report`)).toBeVisible();

    await reloaded.getByRole('button', { name: 'Dismiss' }).click();
    await expect(reloaded.locator(`.${CLASS}-report`)).toHaveCount(0);
    await expect(reloaded.getByText('No crash or hang for this kernel.')).toBeVisible();
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect(crashView(page).getByText('No crash or hang for this kernel.')).toBeVisible({ timeout: 30000 });
  });

  test('a C call that holds the GIL leaves the kernel silent, and its stacks are read from outside', async ({
    page,
    tmpPath
  }) => {
    await openExample(page, tmpPath);
    const view = await openCrashView(page);
    await expect(view.locator(`.${CLASS}-recorder`)).toHaveText(/^The crash recorder is armed/, { timeout: 30000 });
    // A match that backtracks for minutes without letting go of the GIL.
    await page.notebook.setCell(0, 'code', 'import re\nre.match(r"(a+)+$", "a" * 40 + "b")');
    await page.notebook.runCell(0, { inplace: true, wait: false });

    const stalled = view.locator(`.${CLASS}-stalled`);
    await expect(stalled).toContainText('The kernel does not answer', { timeout: 40000 });
    await stalled.getByRole('button', { name: 'Read stacks from outside' }).click();
    const outside = view.locator(`.${CLASS}-outside`);
    await expect(outside).toBeVisible({ timeout: 30000 });
    // py-spy's stacks, native frames marked; or the route's sentence where reading is not permitted.
    const native = outside.locator(`details[open] .${CLASS}-frame.jp-mod-native`);
    const refused = outside.locator(`.${CLASS}-message-error`);
    await expect(native.first().or(refused)).toBeVisible();
    if (await native.count()) {
      await expect(outside.locator(`.${CLASS}-heading`)).toHaveText(/^Read from outside by py-spy in \d+ ms/);
      await expect(native.first().locator(`.${CLASS}-native`)).toHaveText('native');
    }
    await readableInBothThemes(page, view, 'Kernel not answering');

    // A match in C ignores an interrupt: restarting the kernel ends it, and what was read of it goes.
    await page.menu.clickMenuItem('Kernel>Restart Kernel…');
    await page.getByRole('button', { name: 'Confirm Kernel Restart' }).click();
    await expect(view.locator(`.${CLASS}-stalled`)).toHaveCount(0, { timeout: 30000 });
    await expect(view.locator(`.${CLASS}-outside`)).toHaveCount(0);
  });
});
