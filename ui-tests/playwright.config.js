/**
 * Playwright configuration: Galata's defaults, Debian's Chromium, no downloads.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

module.exports = {
  ...baseConfig,
  timeout: 120 * 1000,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  // The wheel's own check, run by playwright.wheel.config.js against .venv-wheel.
  testIgnore: ['**/wheel-install.spec.ts'],
  use: {
    ...baseConfig.use,
    video: 'off',
    trace: 'off',
    // A laptop's screen, in JupyterLab's default layout: specs never fold,
    // resize or rearrange views to make room.
    viewport: { width: 1366, height: 768 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  },
  expect: {
    ...baseConfig.expect,
    toHaveScreenshot: { maxDiffPixels: 50 }
  },
  webServer: {
    command: 'npm start',
    url: 'http://localhost:8888/lab',
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
