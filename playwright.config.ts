import { defineConfig } from '@playwright/test';
import { SERVE_ADB_PORT, SERVE_DATA_DIR, SERVE_PORT, SERVE_TOKEN } from './e2e/support/serve-env.js';

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
    command: `npx tsx electron/serve/cli.ts --port ${SERVE_PORT} --data-dir ${SERVE_DATA_DIR}`,
    url: `http://127.0.0.1:${SERVE_PORT}/?token=${SERVE_TOKEN}`,
    env: { GOLDFISH_TOKEN: SERVE_TOKEN, ANDROID_ADB_SERVER_PORT: String(SERVE_ADB_PORT) },
    reuseExistingServer: false,
    // SIGTERM, not Playwright's default SIGKILL: serve shuts down the simulators and the private adb server it started.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    timeout: 60_000,
  },
});
