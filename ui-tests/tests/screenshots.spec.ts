/**
 * The README's pictures, made from the teaching notebooks in examples/: each
 * test runs the few cells of one example that fill a view, photographs the
 * view in JupyterLab Light and Dark into docs/screenshots/, and checks that
 * every text of ours in it reaches WCAG AA contrast in both themes. The
 * pictures are rewritten by every run, so they cannot drift from the product.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as path from 'path';
import { expectReadable } from './contrast';
import { callstackFrames, downTab, openView, switchDebuggerOn } from './helpers';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const PICTURES = path.resolve(__dirname, '../../docs/screenshots');

/** Uploads an example notebook (and the files it reads) into the test's folder and opens it. */
async function openExample(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string,
  beside: string[] = []
): Promise<void> {
  for (const file of [name, ...beside]) {
    await page.contents.uploadFile(path.join(EXAMPLES, file), `${tmpPath}/${file}`);
  }
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.getByText('Python 3 (ipykernel) | Idle').waitFor();
}

/** Runs code cells of the open notebook by index, each to its end. */
async function runCells(page: IJupyterLabPageFixture, ...cells: number[]): Promise<void> {
  for (const cell of cells) {
    await page.notebook.runCell(cell, { inplace: true });
  }
}

async function setTheme(page: IJupyterLabPageFixture, theme: string): Promise<void> {
  if ((await page.theme.getTheme()) === theme) {
    return;
  }
  await page.evaluate(
    name => window.jupyterapp.commands.execute('apputils:change-theme', { theme: name }),
    theme
  );
  const light = theme === 'JupyterLab Light';
  await page
    .locator(`body[data-jp-theme-light="${light}"][data-jp-theme-name="${theme}"]`)
    .waitFor({ state: 'attached' });
  await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
  // Let colour transitions and redraws that follow the theme settle.
  await page.waitForTimeout(400);
}

/**
 * Texts that name a folder of the machine the suite ran on (a site-packages
 * path, a temporary folder): masked in the pictures, which the README shows.
 */
function machinePaths(page: IJupyterLabPageFixture): Locator {
  return page
    .locator('*:not(:has(*))')
    .filter({ hasText: /(^|[\s'"(])\/(tmp|work|home|root|usr|opt|var|private|Users)\// });
}

/** A grey that reads as "left out" in both themes. */
const MASK = 'rgba(128, 128, 128, 0.5)';

/** Writes the part of the page that `frame` covers (all its elements, when several) to `file`. */
async function shoot(
  page: IJupyterLabPageFixture,
  frame: Locator | Locator[],
  file: string
): Promise<void> {
  const where = path.join(PICTURES, file);
  const mask = [machinePaths(page)];
  if (!Array.isArray(frame)) {
    await frame.screenshot({ path: where, mask, maskColor: MASK });
    return;
  }
  const boxes = await Promise.all(frame.map(async part => (await part.boundingBox())!));
  const x = Math.min(...boxes.map(b => b.x));
  const y = Math.min(...boxes.map(b => b.y));
  const width = Math.max(...boxes.map(b => b.x + b.width)) - x;
  const height = Math.max(...boxes.map(b => b.y + b.height)) - y;
  await page.screenshot({ path: where, clip: { x, y, width, height }, mask, maskColor: MASK });
}

/**
 * Writes `<name>.png` in JupyterLab Light and `<name>-dark.png` in JupyterLab
 * Dark, and checks the contrast of our texts in `view` in both.
 */
async function photograph(
  page: IJupyterLabPageFixture,
  name: string,
  frame: Locator | Locator[],
  view: Locator
): Promise<void> {
  for (const [theme, file] of [
    ['JupyterLab Light', `${name}.png`],
    ['JupyterLab Dark', `${name}-dark.png`]
  ]) {
    await setTheme(page, theme);
    await shoot(page, frame, file);
    const texts = await expectReadable(view, `${name} in ${theme}`);
    const lowest = texts.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    test.info().annotations.push({
      type: 'contrast',
      description:
        `${name} in ${theme}: ${texts.length} texts, ` +
        `lowest ${lowest.ratio}:1 (${lowest.where} "${lowest.text}")`
    });
  }
  await setTheme(page, 'JupyterLab Light');
}

/** The area below the notebook that holds our views' tabs. */
function downArea(page: IJupyterLabPageFixture): Locator {
  return page.locator('#jp-down-stack');
}

/** Right-clicks a line's breakpoint gutter and returns the Edit Breakpoint form. */
async function editBreakpoint(
  page: IJupyterLabPageFixture,
  cell: number,
  line: number
): Promise<Locator> {
  const gutter = (await page.notebook.getCellLocator(cell))!
    .locator('.cm-gutters > .cm-breakpoint-gutter > .cm-gutterElement')
    .nth(line);
  await gutter.click({ button: 'right', position: { x: 5, y: 5 } });
  const dialog = page.locator('.jp-Dialog').filter({
    has: page.locator('.jp-MLDebuggerBreakpointForm')
  });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function saveBreakpoint(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
}

/** Sets a breakpoint with a click in a cell's gutter, at a 1-based line. */
async function setBreakpoint(
  page: IJupyterLabPageFixture,
  cell: number,
  line: number
): Promise<void> {
  const listed = page.locator('.jp-DebuggerBreakpoint');
  const before = await listed.count();
  await page.notebook.waitForCellGutter(cell);
  await page.notebook.clickCellGutter(cell, line);
  await expect(listed).toHaveCount(before + 1);
}

/** Ends the open notebooks' kernels, and with them whatever a cell left running or stopped. */
async function shutDownKernels(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    for (const widget of window.jupyterapp.shell.widgets('main')) {
      const { sessionContext } = widget as unknown as {
        sessionContext?: { session: unknown; shutdown(): Promise<void> };
      };
      if (sessionContext?.session) {
        await sessionContext.shutdown();
      }
    }
  });
}

/** A row of Variable Values in the debugger sidebar, by its name. */
function valueRow(page: IJupyterLabPageFixture, name: string): Locator {
  return page.sidebar
    .getContentPanelLocator('right')
    .locator(`.jp-MLDebuggerValues .jp-MLDebuggerValues-row[data-name="${name}"]`)
    .first();
}

async function fromContextMenu(
  page: IJupyterLabPageFixture,
  row: Locator,
  item: string
): Promise<void> {
  await row.click({ button: 'right' });
  await page.getByRole('menuitem', { name: item }).click();
}

test.describe('Screenshots of every view, from the examples, in light and dark', () => {
  test('variable-values: 01 stopped where the loss first overflows; laptop: with Checks below', async ({
    page,
    tmpPath
  }) => {
    await openExample(page, tmpPath, '01-variable-value.ipynb');
    await runCells(page, 1);
    await switchDebuggerOn(page);
    await page.notebook.waitForCellGutter(3);
    // `loss.backward()` in `train_step`, stopping at the first step whose loss is not finite.
    await setBreakpoint(page, 3, 5);
    const dialog = await editBreakpoint(page, 3, 5);
    await dialog.locator('[name="condition"]').fill('not math.isfinite(loss.item())');
    await saveBreakpoint(dialog);
    await openView(page, 'Checks');
    await page.notebook.runCell(3, { inplace: true, wait: false });
    await expect(callstackFrames(page).first()).toContainText('train_step', { timeout: 30000 });

    const sidebar = page.sidebar.getContentPanelLocator('right');
    const section = sidebar.locator('.jp-MLDebuggerValues');
    const title = sidebar.locator('.jp-AccordionPanel-title', { hasText: 'Variable Values' });
    await expect(valueRow(page, 'loss')).toHaveClass(/jp-MLDebuggerValues-row-nonfinite/);
    await expect(downArea(page).locator('.jp-MLDebuggerChecks-body')).toContainText('loss');
    await page.screenshot({
      path: path.join(PICTURES, 'laptop.png'),
      mask: [machinePaths(page)],
      maskColor: MASK
    });
    await photograph(page, 'variable-values', [title, section], section);

    await shutDownKernels(page);
  });

  test('watch and trace: 02 stopped where the gradient norm jumps, then its trace of every 10th step', async ({
    page,
    tmpPath
  }) => {
    await openExample(page, tmpPath, '02-breakpoint-actions.ipynb');
    await runCells(page, 1);
    await switchDebuggerOn(page);

    const watch = await openView(page, 'Watch');
    const input = watch.getByRole('textbox', { name: 'Watch expression to add' });
    for (const expression of ['opt.param_groups[0]["lr"]', 'norm', 'xb :: B 4']) {
      await input.fill(expression);
      await input.press('Enter');
      await expect(input).toHaveValue('');
    }

    await page.notebook.waitForCellGutter(3);
    // (A) `opt.step()`: stop when the gradient norm jumps.
    await setBreakpoint(page, 3, 10);
    let dialog = await editBreakpoint(page, 3, 10);
    await dialog.locator('[name="condition"]').fill('norm > 5 * prev_norm');
    await dialog
      .locator('[name="log"]')
      .fill('norm jumped from {round(prev_norm, 3)} to {round(norm, 3)}');
    await saveBreakpoint(dialog);
    // (B) `losses.append(loss.item())`: record the loss every 10th step, never stop.
    await setBreakpoint(page, 3, 12);
    dialog = await editBreakpoint(page, 3, 12);
    await dialog.getByRole('combobox', { name: 'Hit count mode' }).selectOption('every');
    await dialog.getByRole('spinbutton', { name: 'N' }).fill('10');
    await dialog.locator('[name="record"]').fill('loss.item()\nnorm');
    await dialog.getByLabel('Continue: never stop, trace only').check();
    await saveBreakpoint(dialog);

    await openView(page, 'Trace');
    await downTab(page, 'Watch').click();
    await page.notebook.runCell(3, { inplace: true, wait: false });
    await expect(callstackFrames(page).first()).toContainText('<module>', { timeout: 30000 });
    const step = valueRow(page, 'step').locator(':scope > .jp-MLDebuggerValues-summary');
    await expect(step).toHaveText('47');
    await expect(watch.locator('.jp-MLDebuggerWatch-row').first()).toContainText('0.05');
    await photograph(page, 'watch', downArea(page), watch);

    await page.getByRole('button', { name: 'Continue (F9)' }).click();
    await page.notebook.waitForRun(3);
    const trace = await openView(page, 'Trace');
    await expect(trace.locator('.jp-MLDebuggerTrace-row')).toHaveCount(11);
    await photograph(page, 'trace', downArea(page), trace);

    await shutDownKernels(page);
  });

  test('type-structure and tensor-viewer: 03 the classifier with recorded shapes, and its images', async ({
    page,
    tmpPath
  }) => {
    await openExample(page, tmpPath, '03-type-structure.ipynb');
    // The model, then a forward pass with its shapes recorded.
    await runCells(page, 1, 3, 5);
    await switchDebuggerOn(page);

    await expect(valueRow(page, 'model')).toBeVisible();
    await fromContextMenu(page, valueRow(page, 'model'), 'Show Type Structure');
    const structure = downArea(page).locator('#jp-MLDebuggerStructure');
    await expect(
      structure.locator('.jp-MLDebuggerStructure-module[data-path="head"]')
    ).toContainText('weight [10, 392]');
    await photograph(page, 'type-structure', downArea(page), structure);

    await fromContextMenu(page, valueRow(page, 'images'), 'Open in Tensor Viewer');
    const viewer = page.locator('.jp-MLDebuggerViewer');
    // Below the heatmap, as a person scrolls to them: the value under the cursor, the legend
    // and the histogram.
    await viewer.locator('.jp-MLDebuggerViewer-histogram').scrollIntoViewIfNeeded();
    const heatmap = viewer.locator('.jp-MLDebuggerViewer-heatmap');
    const box = (await heatmap.boundingBox())!;
    const shown = (await viewer.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, Math.max(box.y, shown.y) + 20);
    await expect(viewer.locator('.jp-MLDebuggerViewer-readout')).toHaveText(/ = /);
    await photograph(page, 'tensor-viewer', viewer, viewer);

    await shutDownKernels(page);
  });

  test('checks: 04 stopped in the module that made the first NaN', async ({ page, tmpPath }) => {
    await openExample(page, tmpPath, '04-nan-origin.ipynb');
    await runCells(page, 1);
    await switchDebuggerOn(page);
    const checks = await openView(page, 'Checks');
    // Watches the model and runs a training step.
    await page.notebook.runCell(5, { inplace: true, wait: false });
    await expect(callstackFrames(page).first()).toContainText('stop_at_origin', {
      timeout: 30000
    });
    await expect(checks.locator('.jp-MLDebuggerChecks-origin')).toContainText('2.1 (Normalize)');
    // The origin, below what is in reach, as a person scrolls to it.
    await checks.locator('.jp-MLDebuggerChecks-origin').scrollIntoViewIfNeeded();
    await photograph(page, 'checks', downArea(page), checks);

    await shutDownKernels(page);
  });

  test('threads: 08 a stalled pipeline and a deadlock', async ({ page, tmpPath }) => {
    await openExample(page, tmpPath, '08-threads-and-deadlocks.ipynb');
    // The helpers, a pipeline waiting on a queue and an event, and two threads deadlocked.
    await runCells(page, 1, 3, 9);
    const threads = await openView(page, 'Threads');
    await threads.getByRole('button', { name: "Read every thread's stack now" }).click();
    await expect(threads.locator('.jp-MLDebuggerThreads-deadlock')).toContainText(
      'Deadlock: metrics waits for log_lock held by log-flusher',
      { timeout: 20000 }
    );
    await photograph(page, 'threads', downArea(page), threads);

    // The deadlocked threads live until their kernel ends.
    await shutDownKernels(page);
  });

  test('counters: 09 resident memory flagged as a leak while the loss is kept as a tensor', async ({
    page,
    tmpPath
  }) => {
    await openExample(page, tmpPath, '09-counters-and-leaks.ipynb');
    await runCells(page, 1);
    const counters = await openView(page, 'Counters');
    // The training loop that keeps its validation loss as a tensor, with its graph.
    await runCells(page, 3);
    await expect(counters.locator('.jp-MLDebuggerCounters-flag').first()).toContainText(
      /^Resident memory grew .* without falling/,
      { timeout: 20000 }
    );
    await photograph(page, 'counters', downArea(page), counters);

    await shutDownKernels(page);
  });

  test('exceptions: 10 the failed collate, its cause and their frames', async ({ page, tmpPath }) => {
    await openExample(page, tmpPath, '10-postmortem.ipynb');
    await runCells(page, 1, 3);
    const cell = (await page.notebook.getCellLocator(3))!;
    await fromContextMenu(page, cell, 'Debug Last Exception');
    const exceptions = downArea(page).locator('#jp-MLDebuggerPostmortem');
    await expect(exceptions).toContainText('KeyError');
    await photograph(page, 'exceptions', downArea(page), exceptions);

    await shutDownKernels(page);
  });

  test('crash-and-hang: 12 the Crash report of a kernel killed by a null-pointer read', async ({
    page,
    tmpPath
  }) => {
    await openExample(page, tmpPath, '12-crash-and-hang.ipynb');
    const view = await openView(page, 'Crash and Hang');
    await expect(view).toContainText('The crash recorder is armed', { timeout: 30000 });
    const count = await page.notebook.getCellCount();
    let cell = -1;
    for (let i = 0; i < count && cell < 0; i++) {
      if ((await page.notebook.getCellTextInput(i)).includes('ctypes.string_at(0)')) {
        cell = i;
      }
    }
    await page.notebook.selectCells(cell);
    await page.keyboard.press('Shift+Enter');
    const died = page.getByRole('dialog').filter({ hasText: 'appears to have died' });
    await died.waitFor({ timeout: 30000 });
    await died.getByRole('button', { name: /ok/i }).click();
    await expect(view).toContainText('Ended by SIGSEGV', { timeout: 20000 });
    await photograph(page, 'crash-and-hang', downArea(page), view);

    await view.getByRole('button', { name: /Dismiss/ }).first().click();
    await shutDownKernels(page);
  });

  test('modules: 11 a local file shadowing torchinfo, checked against the requirements', async ({
    page,
    tmpPath
  }) => {
    await openExample(page, tmpPath, '11-modules.ipynb', ['requirements-demo.txt']);
    // The local torchinfo.py put first on sys.path, and the import that picks it.
    await runCells(page, 2, 3);
    const modules = await openView(page, 'Modules');
    await modules
      .getByRole('button', { name: /Compare the loaded versions with a requirements file/ })
      .click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.locator('input').fill('requirements-demo.txt');
    await dialog.getByRole('button', { name: /OK|Ok/ }).click();
    await expect(modules).toContainText('hides the installed torchinfo');
    await expect(modules).toContainText('scikit-learn is not installed');
    await photograph(page, 'modules', downArea(page), modules);

    // Removes the temporary project folder.
    await runCells(page, 13);
    await shutDownKernels(page);
  });
});
