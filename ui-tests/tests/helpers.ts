/**
 * What every UI spec does the same way: open an uploaded fixture, switch the
 * debugger on, give the sidebar room, find the call stack.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as path from 'path';

/** Uploads a fixture notebook into the test's folder, opens it, waits for its kernel. */
export async function openFixture(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string
): Promise<void> {
  await page.contents.uploadFile(
    path.resolve(__dirname, '../notebooks', name),
    `${tmpPath}/${name}`
  );
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.getByText('Python 3 (ipykernel) | Idle').waitFor();
}

/** Switches the debugger on and waits for its sidebar. */
export async function switchDebuggerOn(
  page: IJupyterLabPageFixture
): Promise<void> {
  await page.debugger.switchOn();
  await page.waitForCondition(() => page.debugger.isOpen());
}

/** Gives the sidebar room, as a person would: wider, the named sections folded. */
export async function foldSections(
  page: IJupyterLabPageFixture,
  sections: string[]
): Promise<void> {
  await page.sidebar.close('left');
  await page.sidebar.setWidth(480, 'right');
  for (const name of sections) {
    const title = page.sidebar
      .getContentPanelLocator('right')
      .getByRole('heading', { name, exact: true });
    await title.locator('.lm-AccordionPanel-titleLabel').click();
    await expect(title).toHaveAttribute('aria-expanded', 'false');
  }
}

/** Opens sections of the sidebar that start folded. */
export async function unfoldSections(
  page: IJupyterLabPageFixture,
  sections: string[]
): Promise<void> {
  for (const name of sections) {
    const title = page.sidebar
      .getContentPanelLocator('right')
      .getByRole('heading', { name, exact: true });
    await title.locator('.lm-AccordionPanel-titleLabel').click();
    await expect(title).toHaveAttribute('aria-expanded', 'true');
  }
}

/** The frames listed in the debugger's call stack. */
export function callstackFrames(page: IJupyterLabPageFixture): Locator {
  return page.locator('.jp-DebuggerCallstack-body .jp-DebuggerCallstackFrame');
}
