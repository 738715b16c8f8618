/**
 * Secrets stay secret, as a person sees it in Chromium: a token in the notebook's globals shows
 * masked in Variable Values, in Watch and in JupyterLab's own Variables panel, and shows its value
 * after Reveal, in JupyterLab's default layout at 1366x768. Every text of ours, masked or
 * revealed, reaches WCAG AA.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { expectReadable } from './contrast';
import { openFixture, openView, switchDebuggerOn } from './helpers';

const SECRET = 'tok-' + '7Qx93Lm' + 'Pz0aK44vR';
const MASKED = '•••••• (secret: masked)';

function valuesSection(page: IJupyterLabPageFixture): Locator {
  return page.sidebar.getContentPanelLocator('right').locator('.jp-MLDebuggerValues');
}

function valueRow(section: Locator, name: string): Locator {
  return section.locator(`.jp-MLDebuggerValues-row[data-name="${name}"]`).first();
}

/**
 * Our texts in `view` reach AA in JupyterLab Light and Dark, each measured after `ready`: a
 * switch of theme may read the values again, and a reveal lasts only until they are.
 */
async function readableInBothThemes(
  page: IJupyterLabPageFixture,
  view: Locator,
  label: string,
  ready: () => Promise<void>
): Promise<void> {
  await ready();
  await expectReadable(view, `${label} in JupyterLab Light`);
  await page.theme.setDarkTheme();
  await ready();
  await expectReadable(view, `${label} in JupyterLab Dark`);
  await page.theme.setLightTheme();
}

/** Shows the token in `text`, pressing `reveal` while it shows masked (a new reading masks it again). */
async function revealedBy(reveal: Locator, text: Locator): Promise<void> {
  await expect(async () => {
    if ((await text.textContent()) === MASKED) {
      await reveal.click({ timeout: 2000 });
    }
    await expect(text).toHaveText(`'${SECRET}'`, { timeout: 2000 });
  }).toPass();
}

test.describe('Secrets', () => {
  test('a token shows masked in Variable Values until Reveal, and its value after', async ({
    page,
    tmpPath
  }) => {
    await openFixture(page, tmpPath, 'secrets.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await switchDebuggerOn(page);

    const section = valuesSection(page);
    const token = valueRow(section, 'api_token');
    const summary = token.locator(':scope > .jp-MLDebuggerValues-summary');
    await expect(summary).toHaveText(MASKED);
    await expect(valueRow(section, 'learning_rate').locator('.jp-MLDebuggerValues-summary')).toHaveText('0.001');
    await expect(valueRow(section, 'learning_rate').getByRole('button', { name: /^Reveal/ })).toHaveCount(0);
    await expect(section).not.toContainText(SECRET);
    // JupyterLab's own Variables panel shows debugpy's text, masked by the same rules.
    const builtin = page.sidebar
      .getContentPanelLocator('right')
      .locator('.jp-DebuggerVariables-body:not(.lm-mod-hidden)');
    const builtinToken = builtin
      .locator('.jp-TreeItem')
      .filter({ has: page.locator('.jp-DebuggerVariables-name', { hasText: /^api_token$/ }) })
      .first();
    await expect(builtinToken.locator('.jp-DebuggerVariables-detail').first()).toHaveText(MASKED);
    await expect(builtin).not.toContainText(SECRET);
    const masked = () => expect(summary).toHaveText(MASKED);
    await readableInBothThemes(page, section, 'Variable Values with a masked token', masked);

    const reveal = token.getByRole('button', {
      name: 'Reveal the value of api_token, which the kernel masked as a secret'
    });
    await reveal.click();
    await expect(summary).toHaveText(`'${SECRET}'`);
    // The same button masks it again.
    await token.getByRole('button', { name: 'Mask the value of api_token again' }).click();
    await masked();

    const revealed = () => revealedBy(reveal, summary);
    await readableInBothThemes(page, section, 'Variable Values with a revealed token', revealed);
  });

  test('a watch of the token shows masked until Reveal', async ({ page, tmpPath }) => {
    await openFixture(page, tmpPath, 'secrets.ipynb');
    await page.notebook.runCell(0, { inplace: true });
    await switchDebuggerOn(page);

    const watch = await openView(page, 'Watch');
    const input = watch.getByRole('textbox', { name: 'Watch expression to add' });
    await input.fill("os.environ['MY_SERVICE_TOKEN']");
    await input.press('Enter');
    const row = watch.locator('.jp-MLDebuggerWatch-row').first();
    const value = row.locator('.jp-MLDebuggerWatch-value');
    const masked = () => expect(value).toHaveText(MASKED);
    await readableInBothThemes(page, watch, 'Watch with a masked token', masked);

    const reveal = row.getByRole('button', { name: /^Reveal the value of/ });
    const revealed = () => revealedBy(reveal, value);
    await revealed();
    await readableInBothThemes(page, watch, 'Watch with a revealed token', revealed);
  });
});
