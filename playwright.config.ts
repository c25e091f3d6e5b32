import { defineConfig } from '@playwright/test';
import { SERVE_PORT, SERVE_TOKEN } from './e2e/support/serve-env.js';

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${SERVE_PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    },
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx tsx electron/serve/cli.ts --port ${SERVE_PORT} --data-dir reports/e2e-data`,
    url: `http://127.0.0.1:${SERVE_PORT}/?token=${SERVE_TOKEN}`,
    env: { GOLDFISH_TOKEN: SERVE_TOKEN },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
