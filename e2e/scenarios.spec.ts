import { expect, test } from '@playwright/test';
import { APP_URL } from './support/serve-env.js';
import { accessibilityViolations, go, SHOTS } from './support/flow.js';

// Issue 10's acceptance: run the seed suite from the Scenarios view against a simulated device booted from the
// UI, open the report, see it pass. Screenshots go to reports/screenshots/.

test('Scenarios: the seed suite on a simulated device booted from the UI passes; its report opens and says PASS', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(APP_URL);

  // Boot a simulated device, four times faster than real time.
  await go(page, 'devices');
  const before = await page.getByTestId('device-picker').locator('option').allTextContents();
  await page.getByTestId('boot-seed').fill('7');
  await page.getByTestId('boot-speed').fill('4');
  await page.getByTestId('boot-button').click();
  await expect.poll(async () => (await page.getByTestId('device-picker').locator('option').allTextContents()).filter((t) => !before.includes(t)).length, { timeout: 60_000 }).toBeGreaterThan(0);
  const serial = await page.getByTestId('device-picker').inputValue();
  await expect(page.getByTestId(`device-${serial}`).getByTestId('device-state')).toHaveText('online', { timeout: 60_000 });

  // Run the seed suite on it.
  await go(page, 'scenarios');
  await expect(page.getByTestId('scenario-device')).toHaveValue(serial);
  await page.getByTestId('scenario-suite').selectOption('seed');
  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-run-panel')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('scenario-counts')).not.toHaveText('0 passed · 0 failed', { timeout: 60_000 });
  await page.screenshot({ path: `${SHOTS}/scenarios-01-running.png`, fullPage: true });
  await expect(page.getByTestId('scenario-run-panel')).toHaveAttribute('data-state', /passed|failed|error|cancelled/, { timeout: 240_000 });
  const summary = await page.getByTestId('scenario-summary').innerText();
  expect(summary, await page.getByTestId('scenario-run-panel').innerText()).toMatch(new RegExp(`^seed on ${serial}: PASS, 7/7 scenarios`));
  await expect(page.getByTestId('scenario-run-panel')).toHaveAttribute('data-state', 'passed');

  // The report: listed, opened in a sandboxed frame, PASS with a chart per scenario.
  await page.getByTestId('scenario-open-latest').click();
  const frame = page.frameLocator('[data-testid="report-frame"]');
  await expect(frame.locator('.summary')).toHaveAttribute('data-verdict', 'pass');
  await expect(frame.locator('.summary')).toContainText(`seed on ${serial}: PASS`);
  await expect(frame.locator('section.sc svg')).toHaveCount(7);
  await expect(frame.locator('tr.bad')).toHaveCount(0);
  await expect(page.getByTestId('report-frame')).toHaveAttribute('sandbox', '');
  await expect(page.getByTestId('scenario-reports').locator('tbody tr').first()).toContainText('PASS');
  await page.getByTestId('scenario-report').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/scenarios-02-report.png`, fullPage: true });
  // The view, and the report on a page of its own (its sandboxed frame runs no script, so no axe in it).
  const violations = await accessibilityViolations(page, 'scenarios with a report open', ['[data-testid="report-frame"]']);
  const report = await page.context().newPage();
  await report.setContent((await page.getByTestId('report-frame').getAttribute('srcdoc'))!);
  violations.push(...(await accessibilityViolations(report, 'the scenario report')));
  await report.close();
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});

test('Scenarios: a seed-faithful simulated device booted from the UI fails the seed-defects suite on the seed design defects', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(APP_URL);

  await go(page, 'devices');
  await page.getByLabel('OOM killer').selectOption('seed-faithful');
  await expect(page.getByTestId('boot-oom-mode-note')).toBeVisible();
  await page.getByTestId('boot-speed').fill('4');
  await page.getByTestId('boot-button').click();
  // The boot returns once the simulator is up and selects it (other devices may be listed already).
  await expect(page.getByTestId('boot-button')).toHaveText('Boot simulated device', { timeout: 60_000 });
  await expect(page.getByTestId('boot-error')).toHaveCount(0);
  const serial = await page.getByTestId('device-picker').inputValue();
  const card = page.getByTestId(`device-${serial}`);
  await expect(card.getByTestId('device-state')).toHaveText('online', { timeout: 60_000 });
  await expect(card.getByTestId('device-oom-mode')).toHaveText('seed-faithful');

  await go(page, 'scenarios');
  await expect(page.getByTestId('scenario-device')).toHaveValue(serial);
  await page.getByTestId('scenario-suite').selectOption('seed-defects');
  await page.getByTestId('scenario-run').click();
  await expect(page.getByTestId('scenario-run-panel')).toHaveAttribute('data-state', /passed|failed|error|cancelled/, { timeout: 240_000 });
  const summary = await page.getByTestId('scenario-summary').innerText();
  expect(summary, await page.getByTestId('scenario-run-panel').innerText()).toMatch(new RegExp(`^seed-defects on ${serial}: FAIL, 4/7 scenarios`));
  await expect(page.getByTestId('scenario-run-panel')).toHaveAttribute('data-state', 'failed');

  await page.getByTestId('scenario-open-latest').click();
  const frame = page.frameLocator('[data-testid="report-frame"]');
  await expect(frame.locator('.summary')).toHaveAttribute('data-verdict', 'fail');
  await expect(frame.locator('.meta')).toContainText('oom mode seed-faithful');
  expect(errors).toEqual([]);
});
