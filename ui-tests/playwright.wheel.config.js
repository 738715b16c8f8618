/**
 * The smoke tests of the wheel as users install it (`make test-wheel`): the UI
 * tests tagged @smoke, against the `jupyter lab` of .venv-wheel, which holds
 * the wheel and nothing from this checkout, with no Node.js on its PATH.
 */
const path = require('path');
const config = require('./playwright.config');

const WHEEL_VENV = path.resolve(__dirname, '..', '.venv-wheel');
const URL = 'http://localhost:8890';

module.exports = {
  ...config,
  testMatch: ['**/variable-values.spec.ts', '**/wheel-install.spec.ts'],
  testIgnore: [],
  grep: /@smoke/,
  // Pixels are the UI suite's concern; this run checks what the installed wheel does.
  ignoreSnapshots: true,
  outputDir: 'test-results/wheel',
  reporter: [['list']],
  use: { ...config.use, baseURL: URL },
  webServer: {
    command: `${WHEEL_VENV}/bin/jupyter lab --config jupyter_server_test_config.py --port 8890`,
    url: `${URL}/lab`,
    env: { PATH: path.join(WHEEL_VENV, 'bin') },
    timeout: 120 * 1000,
    // Never a server already on the port: it would not be the wheel's.
    reuseExistingServer: false
  }
};
