import { expect, test, type Page } from '@playwright/test';
import { APP_URL } from './support/serve-env.js';
import { accessibilityViolations, bootSimulator, go, runSetup, SHOTS } from './support/flow.js';

// Issue 8's acceptance, through the UI: record a simulated device while the seed's test 2 runs, open the
// session, replay it with the settings in force (the same kill), with 300 MB (none), and sweep the limit.
// Screenshots go to reports/screenshots/sessions-*.png.
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/sessions-${name}.png`, fullPage: true });
}

test('Sessions: record test 2, open the session, replay = recorded, 300 MB predicts none, sweep', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(APP_URL);

  // A simulated device at speed 2, set up with T = 3.
  const serial = await bootSimulator(page, 8);
  await runSetup(page, 3);

  // The seed's limit for u0_a70.
  await go(page, 'limits');
  await page.getByTestId('limit-user').fill('u0_a70');
  await page.getByTestId('limit-amount').fill('100000000');
  await page.getByTestId('limit-unit').selectOption('B');
  await page.getByTestId('limit-grace').fill('0');
  await page.getByTestId('limit-add').click();
  await expect(page.getByTestId('limit-row-10070')).toHaveAttribute('data-sync', 'applied', { timeout: 30_000 });

  // Start recording.
  await go(page, 'sessions');
  await expect(page.getByTestId('record-state')).toHaveText('not recording');
  await page.getByTestId('session-record').click();
  await expect(page.getByTestId('record-state')).toContainText('recording');
  const row = page.locator('[data-testid^="session-row-"][data-recording="true"]');
  await expect(row).toHaveCount(1);
  const rowId = (await row.getAttribute('data-testid'))!;
  await expect(page.getByTestId(rowId)).toContainText(serial);
  await expect(page.getByTestId(rowId).getByTestId('session-recording-badge')).toBeVisible();
  // A few quiet samples before the test starts.
  await page.waitForTimeout(4000);

  // Test 2 from Workloads; wait for its kill in the kernel log's kill table.
  await go(page, 'workloads');
  await page.getByTestId('preset-test2').click();
  await expect(page.getByTestId('workload-preview')).toHaveText('$ test u0_a70 100000000 20000000 30000000 160000000');
  await page.getByTestId('workload-run').click();
  await go(page, 'log');
  const killRow = page.locator('[data-testid^="kill-row-"]').filter({ hasText: 'mm_limit' }).filter({ hasText: 'u0_a70' }).first();
  await expect(killRow).toBeVisible({ timeout: 90_000 });
  const killedPid = (await killRow.locator('td').nth(3).innerText()).trim();
  expect(killedPid).toMatch(/^\d+$/);
  // Let the recording take a few more samples after the kill, then stop.
  await page.waitForTimeout(6000);
  await go(page, 'sessions');
  await expect(page.getByTestId('record-state')).toContainText('recording');
  await shot(page, '01-recording');
  await page.getByTestId('session-stop').click();
  await expect(page.getByTestId('record-state')).toHaveText('not recording');
  await expect(page.getByTestId(rowId)).toHaveAttribute('data-recording', 'false');
  await expect(page.getByTestId(rowId).getByTestId('session-recording-badge')).toHaveCount(0);

  // Open it: device, settings in force, chart with the recorded kill.
  await page.getByTestId(rowId).getByTestId('session-open').click();
  const detail = page.getByTestId('session-detail');
  await expect(detail).toBeVisible();
  await expect(page.getByTestId('session-settings')).toContainText('u0_a70 ≤ 95.4 MiB (100,000,000 B)');
  await expect(page.getByTestId('session-settings')).toContainText('T = 3 s');
  await expect(page.getByTestId(`recorded-kill-${killedPid}`)).toBeVisible();
  await expect(page.getByTestId('uid-chart')).toBeVisible();
  await expect(page.getByTestId('kill-marker-0')).toBeVisible();
  await expect(page.getByTestId('whatif-user-0')).toHaveValue('u0_a70');
  await expect(page.getByTestId('whatif-amount-0')).toHaveValue('100000000');
  await expect(page.getByTestId('whatif-interval')).toHaveValue('3');
  await detail.scrollIntoViewIfNeeded();
  await shot(page, '02-open');

  // Replay with the settings in force: predicted = recorded, the same pid.
  await page.getByTestId('whatif-replay').click();
  const summary = page.getByTestId('replay-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('replay-error')).toHaveCount(0);
  await expect(summary).toHaveAttribute('data-recorded', '1');
  await expect(summary).toHaveAttribute('data-predicted', '1');
  await expect(summary).toHaveAttribute('data-matched', '1');
  await expect(page.getByTestId(`compare-row-${killedPid}`)).toHaveAttribute('data-match', 'matched');
  await expect(page.locator('[data-testid^="predicted-marker-"]')).toHaveCount(1);
  await expect(page.locator(`[data-testid^="predicted-marker-${killedPid}-"]`)).toBeVisible();
  await page.locator(`[data-testid^="predicted-marker-${killedPid}-"]`).hover();
  await expect(page.getByTestId('predicted-tooltip')).toContainText(`Predicted kill of pid ${killedPid}`);
  await shot(page, '03-replay-in-force');

  // Invalid input is refused inline; nothing is sent.
  await page.getByTestId('whatif-amount-0').fill('lots');
  await expect(page.getByTestId('whatif-amount-error-0')).toBeVisible();
  // 300 MB: no kill predicted; the recorded one is left unmatched.
  await page.getByTestId('whatif-amount-0').fill('300');
  await page.getByTestId('whatif-unit-0').selectOption('MB');
  await expect(page.getByTestId('whatif-amount-error-0')).toHaveCount(0);
  await page.getByTestId('whatif-replay').click();
  await expect(summary).toHaveAttribute('data-predicted', '0');
  await expect(summary).toHaveAttribute('data-recorded', '1');
  await expect(page.getByTestId(`compare-row-${killedPid}`)).toHaveAttribute('data-match', 'recorded only');
  await expect(page.locator('[data-testid^="predicted-marker-"]')).toHaveCount(0);
  await page.getByTestId('whatif-panel').scrollIntoViewIfNeeded();
  await shot(page, '04-replay-300mb');

  // Sweep u0_a70's limit around the recorded one.
  await expect(page.getByTestId('sweep-user')).toHaveValue('u0_a70');
  await page.getByTestId('sweep-from').fill('50');
  await page.getByTestId('sweep-to').fill('300');
  await page.getByTestId('sweep-unit').selectOption('MB');
  await page.getByTestId('sweep-steps').fill('10');
  await page.getByTestId('sweep-run').click();
  const rows = page.locator('[data-testid^="sweep-row-"]');
  await expect(rows).toHaveCount(11, { timeout: 60_000 });
  await expect(page.getByTestId('sweep-error')).toHaveCount(0);
  // The kills fall as the limit rises: at least one at 50 MB, none at 300 MB.
  expect(Number(await rows.first().getAttribute('data-kills'))).toBeGreaterThan(0);
  await expect(rows.last()).toHaveAttribute('data-kills', '0');
  const kills = await rows.evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('data-kills'))));
  expect(kills).toEqual([...kills].sort((a, b) => b - a));
  await page.getByTestId('sweep-panel').scrollIntoViewIfNeeded();
  await shot(page, '05-sweep');
  const violations = await accessibilityViolations(page, 'light/sessions with a replay and a sweep');

  // Dark theme.
  await page.getByTestId('theme').selectOption('dark');
  await page.getByTestId('whatif-amount-0').fill('100000000');
  await page.getByTestId('whatif-unit-0').selectOption('B');
  await page.getByTestId('whatif-replay').click();
  await expect(summary).toHaveAttribute('data-predicted', '1');
  await page.getByTestId('session-detail').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.querySelector('[data-testid="session-detail"]')?.scrollIntoView({ block: 'start' }));
  await shot(page, '06-dark');
  violations.push(...(await accessibilityViolations(page, 'dark/sessions with a replay')));
  expect(violations).toEqual([]);
  await page.getByTestId('theme').selectOption('auto');

  await go(page, 'devices');
  await page.getByTestId(`device-${serial}`).getByTestId('device-stop').click();
  expect(errors).toEqual([]);
});
