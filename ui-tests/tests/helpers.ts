/**
 * What every UI spec does the same way: open an uploaded fixture, switch the
 * debugger on, open a view as a person does, find the call stack.
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

/**
 * Opens one of the ML Debugger's views as a person does, in two clicks from
 * the notebook: the status bar's "ML Debugger" menu, then the view. Returns
 * the view's tab content below the notebook.
 */
export async function openView(
  page: IJupyterLabPageFixture,
  label: string
): Promise<Locator> {
  await page
    .locator('#jp-main-statusbar')
    .getByRole('button', { name: /ML Debugger views/ })
    .click();
  // A view with something to say is labelled with its count: "Threads (1)".
  await page
    .getByRole('menuitem', { name: new RegExp(`^${label}( \\(\\d+\\))?$`) })
    .click();
  return downView(page, label);
}

/** A view's tab content in the down area, by its label. */
export function downView(page: IJupyterLabPageFixture, label: string): Locator {
  const ids: Record<string, string> = {
    Watch: 'jp-MLDebuggerWatch',
    Checks: 'jp-MLDebuggerChecks',
    Trace: 'jp-MLDebuggerTrace',
    'Type Structure': 'jp-MLDebuggerStructure',
    Threads: 'jp-MLDebuggerThreads',
    Counters: 'jp-MLDebuggerCounters',
    Exceptions: 'jp-MLDebuggerPostmortem',
    Modules: 'jp-MLDebuggerModules',
    'Crash and Hang': 'jp-MLDebuggerCrash'
  };
  return page.locator(`#jp-down-stack #${ids[label]}`);
}

/** A view's tab in the down area's tab bar. */
export function downTab(page: IJupyterLabPageFixture, label: string): Locator {
  return page.locator('#jp-down-stack .lm-TabBar-tab').filter({
    has: page.locator('.lm-TabBar-tabLabel', { hasText: new RegExp(`^${label}$`) })
  });
}

/** The frames listed in the debugger's call stack. */
export function callstackFrames(page: IJupyterLabPageFixture): Locator {
  return page.locator('.jp-DebuggerCallstack-body .jp-DebuggerCallstackFrame');
}
