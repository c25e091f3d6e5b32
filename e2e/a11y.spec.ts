import { expect, test } from '@playwright/test';
import { APP_URL } from './support/serve-env.js';
import { accessibilityViolations, bootSimulator, go, runSetup, setSeedLimit } from './support/flow.js';

// axe-core (WCAG 2.1 A and AA rules) on every view, in the light and the dark theme, with content in them: a
// device booted and set up, a limit, the seed's test 1 run to its kill (chart markers, kill rows, output).
const VIEWS = ['devices', 'setup', 'limits', 'monitor', 'log', 'workloads', 'scenarios', 'sessions', 'settings'];

test('every view passes axe (WCAG 2.1 A/AA) in both themes', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 960 });
  await page.goto(APP_URL);
  await bootSimulator(page, 21);
  await runSetup(page);
  await setSeedLimit(page);
  await go(page, 'workloads');
  await page.getByTestId('preset-test1').click();
  await page.getByTestId('workload-run').click();
  await go(page, 'log');
  await expect(page.locator('[data-testid^="kill-row-"]').filter({ hasText: 'mm_limit' }).first()).toBeVisible({ timeout: 90_000 });
  const found: string[] = [];
  for (const theme of ['light', 'dark']) {
    await page.getByTestId('theme').selectOption(theme);
    for (const view of VIEWS) {
      await go(page, view);
      found.push(...(await accessibilityViolations(page, `${theme}/${view}`)));
    }
  }
  await page.getByTestId('theme').selectOption('auto');
  expect(found).toEqual([]);
});
