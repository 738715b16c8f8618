/**
 * The extension a user installs from the wheel: the page runs the prebuilt
 * bundle in .venv-wheel's share/, not a development build. Run by
 * playwright.wheel.config.js (`make test-wheel`), never against the editable install.
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

const INSTALLED = path.resolve(
  __dirname,
  '../../.venv-wheel/share/jupyter/labextensions/jupyterlab-ml-debugger'
);

test('the page loads the bundle the wheel installed', { tag: '@smoke' }, async ({
  page
}) => {
  const installed = JSON.parse(
    fs.readFileSync(path.join(INSTALLED, 'package.json'), 'utf-8')
  );
  const load: string = installed.jupyterlab._build.load;
  const extensions: { name: string; load: string }[] = await page.evaluate(
    () =>
      JSON.parse(
        document.getElementById('jupyter-config-data')?.textContent ?? '{}'
      ).federated_extensions
  );
  expect(
    extensions.filter(extension => extension.name === 'jupyterlab-ml-debugger')
  ).toEqual([expect.objectContaining({ load })]);

  const served = await page.request.get(
    `lab/extensions/jupyterlab-ml-debugger/${load}`
  );
  expect(served.ok()).toBe(true);
  expect(await served.text()).toBe(
    fs.readFileSync(path.join(INSTALLED, load), 'utf-8')
  );
});
