import { defineConfig } from '@playwright/test';

// Dev only: the UI walk (e2e/ui.spec.ts) on the scripted demo backend of renderer/harness.html, for when the
// backend or the simulator is not at hand. `npx playwright test -c playwright.harness.config.ts`
const PORT = 5199;
process.env.GOLDFISH_UI_START ??= '/harness.html?tickMs=250';
process.env.GOLDFISH_UI_SHOTS ??= 'reports/screenshots/harness-walk';

export default defineConfig({
  testDir: 'e2e',
  testMatch: 'ui.spec.ts',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] },
  },
  webServer: { command: `npx tsx scripts/ui-harness.ts --port ${PORT}`, url: `http://127.0.0.1:${PORT}/harness.html`, reuseExistingServer: true, timeout: 60_000 },
});
