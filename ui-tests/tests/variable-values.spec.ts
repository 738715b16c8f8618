/**
 * The Variable Values section of the debugger sidebar, as a person sees it in Chromium:
 * a stopped frame's values, frame selection, the globals when idle, and live values of a
 * running cell.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import {
  callstackFrames,
  openFixture,
  switchDebuggerOn
} from './helpers';

const MARKUP = '<img src=x onerror=alert(1)>';
const NONFINITE = /\bjp-MLDebuggerValues-row-nonfinite\b/;

/** The Variable Values section in the debugger sidebar. */
function valuesSection(page: IJupyterLabPageFixture): Locator {
  return page.sidebar
    .getContentPanelLocator('right')
    .locator('.jp-MLDebuggerValues');
}

function row(section: Locator, name: string): Locator {
  return section.locator(`.jp-MLDebuggerValues-row[data-name="${name}"]`);
}

/** The one-line summary of a row (not of its expanded children). */
function summary(section: Locator, name: string): Locator {
  return row(section, name)
    .first()
    .locator(':scope > .jp-MLDebuggerValues-summary');
}

test.describe('Variable Values', () => {
  test('a stopped frame: tensor stats, NaN marked, markup as text, frame selection', { tag: '@smoke' }, async ({
    page,
    tmpPath
  }) => {
    const dialogs: string[] = [];
    page.on('dialog', dialog => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openFixture(page, tmpPath, 'variable_values_frames.ipynb');
    // Import torch before the debugger traces the kernel.
    await page.notebook.runCell(0, { inplace: true });
    await switchDebuggerOn(page);
    await page.notebook.waitForCellGutter(1);
    // `return t.sum()` inside `inner`.
    await page.notebook.clickCellGutter(1, 4);
    await page.debugger.waitForBreakPoints();

    await page.notebook.runCell(1, { inplace: true, wait: false });
    await page.debugger.waitForCallStack();

    const section = valuesSection(page);
    await expect(summary(section, 't')).toContainText(
      'Tensor[2, 2] float32 cpu'
    );
    await expect(summary(section, 't')).toContainText(/NaN 1\b/);
    await expect(row(section, 't')).toHaveClass(NONFINITE);

    await expect(summary(section, 'markup')).toContainText(MARKUP);
    await expect(row(section, 'markup')).not.toHaveClass(NONFINITE);
    await expect(section.locator('img')).toHaveCount(0);
    await expect(row(section, 'outer_value')).toHaveCount(0);

    await expect(section).toHaveScreenshot('variable-values.png');

    // Selecting the caller in the call stack switches the section to its frame.
    await callstackFrames(page)
      .filter({
        has: page.locator('.jp-DebuggerCallstackFrame-name', {
          hasText: /^outer$/
        })
      })
      .click();
    await expect(summary(section, 'outer_value')).toHaveText('41');
    await expect(row(section, 't')).toHaveCount(0);
    await expect(row(section, 'markup')).toHaveCount(0);

    await page.getByRole('button', { name: 'Continue (F9)' }).click();
    await page.notebook.waitForRun(1);
    await expect(callstackFrames(page)).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });

  test('with the debugger on and nothing stopped, the globals are shown', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'variable_values_globals.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await switchDebuggerOn(page);

    const section = valuesSection(page);
    await expect(summary(section, 'scores')).toContainText(
      'Tensor[3] float32 cpu'
    );
    await expect(summary(section, 'scores')).toContainText(/NaN 0\s+Inf 1\b/);
    await expect(row(section, 'scores')).toHaveClass(NONFINITE);

    // A cell run with the debugger on refreshes the section once the kernel is idle.
    await page.notebook.runCell(1, { inplace: true });
    await expect(summary(section, 'greeting')).toHaveText("'hello'");
    await expect(row(section, 'greeting')).not.toHaveClass(NONFINITE);
    await expect(callstackFrames(page)).toHaveCount(0);
  });

  test('a running cell shows live values without stopping', { tag: '@smoke' }, async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'variable_values_live.ipynb');
    await switchDebuggerOn(page);

    // The cell counts up for about 10 s; no breakpoint is set.
    await page.notebook.runCell(0, { inplace: true, wait: false });
    const counter = summary(valuesSection(page), 'counter');
    await expect(counter).toHaveText(/^\d+$/, { timeout: 8000 });
    const first = Number(await counter.innerText());
    await expect
      .poll(async () => Number(await counter.innerText()), { timeout: 8000 })
      .toBeGreaterThan(first);
    await expect(callstackFrames(page)).toHaveCount(0);

    await page.notebook.waitForRun(0);
    await expect(callstackFrames(page)).toHaveCount(0);
  });
});
