import { expect, test } from '@playwright/test';
import { APP_URL } from './support/serve-env.js';
import { addLimit, bootSimulator, clearLimits, go, runSetup, shot } from './support/flow.js';

// The acceptance walk of the UI against serve mode and the bundled simulator, in Debian's Chromium.
// Screenshots of every view go to reports/screenshots/.
/** Dev seam: GOLDFISH_UI_START=/harness.html?tickMs=250 walks the same steps on the demo backend. */
const START = process.env.GOLDFISH_UI_START ?? APP_URL;

test('boot, set up, limit u0_a70, run the seed test 1, watch the kill in chart, log and kill table; a second device is independent', async ({ page }) => {
  test.setTimeout(400_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1440, height: 960 });
  await page.goto(START);
  await expect(page.getByTestId('app-version')).toContainText('serve');
  await shot(page, '01-devices-start');

  // Devices: boot a simulated device.
  const first = await bootSimulator(page, 1);
  await page.getByTestId(`device-${first}`).getByTestId('device-probe').click();
  await expect(page.getByTestId(`device-${first}`).getByTestId('device-modules')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await shot(page, '02-devices-booted');

  // Setup to green.
  await runSetup(page);
  await expect(page.getByTestId('setup-outcome')).toContainText('Ready');
  await expect(page.getByTestId('daemon-status')).toContainText('Running', { timeout: 30_000 });
  await shot(page, '03-setup-green');

  // Limits: invalid input is refused inline, nothing is sent.
  await clearLimits(page);
  await addLimit(page, 'root', 'lots', 'MB', '-3');
  await expect(page.getByTestId('limit-user-error')).toContainText('cannot be limited');
  await expect(page.getByTestId('limit-amount-error')).toContainText('not a size');
  await expect(page.getByTestId('limit-grace-error')).toBeVisible();
  await addLimit(page, 'u0_a70', '0', 'MB', '0');
  await expect(page.getByTestId('limit-amount-error')).toContainText('greater than 0');
  await expect(page.getByTestId('limit-row-10070')).toHaveCount(0);
  await shot(page, '04-limits-invalid');

  // A valid limit: the seed's 100000000 bytes for u0_a70, applied on the device.
  await addLimit(page, 'u0_a70', '100000000', 'B', '0');
  const row = page.getByTestId('limit-row-10070');
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-sync', 'applied', { timeout: 30_000 });
  await expect(row.getByTestId('limit-value')).toContainText('100,000,000 B');
  await shot(page, '05-limits-applied');

  // Workloads: the seed's test 1 preset.
  await go(page, 'workloads');
  await page.getByTestId('preset-test1').click();
  await expect(page.getByTestId('workload-preview')).toHaveText('$ test u0_a70 100000000 160000000');
  // The serial may have run workloads on an earlier device: wait for this run's output, not the last one's.
  const output = page.getByTestId('workload-output');
  const previous = (await output.count()) ? await output.getAttribute('data-id') : null;
  const launchedAt = Date.now();
  await page.getByTestId('workload-run').click();
  await expect(output).toHaveAttribute('data-id', /.+/);
  if (previous) await expect(output).not.toHaveAttribute('data-id', previous);
  // Output streams in: wait for the whole line, whose pid is the kill to look for.
  await expect(page.getByTestId('workload-text')).toContainText(/child process start malloc: pid=\d+,/, { timeout: 30_000 });
  const child = /child process start malloc: pid=(\d+),/.exec(await page.getByTestId('workload-text').innerText())![1];
  await shot(page, '06-workloads-running');

  // Monitor: u0_a70 crosses its limit line and a kill marker appears.
  await go(page, 'monitor');
  await page.getByTestId('window-1min').click();
  // Pids repeat across devices that reuse the serial (same seed, same pids): this run's kill is the one of
  // that pid captured after the launch (the serial's earlier kills stay listed, marked with their boot).
  const markersOfChild = page.locator(`[data-testid^="kill-marker-"][aria-label^="Kill of pid ${child} "]`);
  let markerId: string | undefined;
  await expect
    .poll(async () => (markerId = (await markersOfChild.evaluateAll((els, after) => els.filter((el) => Number(el.getAttribute('data-at')) >= after).map((el) => el.getAttribute('data-testid')!), launchedAt)).at(-1)), { timeout: 90_000 })
    .toBeTruthy();
  const marker = page.getByTestId(markerId!);
  await expect(marker).toBeVisible();
  const legend = page.getByTestId('legend-10070');
  await expect(legend).toHaveAttribute('data-limit', '100000000');
  expect(Number(await legend.getAttribute('data-peak'))).toBeGreaterThan(100_000_000);
  await marker.hover();
  await expect(page.getByTestId('kill-tooltip')).toContainText(`Killed pid ${child}`);
  await expect(page.getByTestId('kill-tooltip')).toContainText('pRSS');
  await shot(page, '07-monitor-kill');
  const killIndex = Number((await marker.getAttribute('data-testid'))!.replace('kill-marker-', ''));

  // Jump from the marker to its kernel-log line...
  await marker.click();
  await expect(page.getByTestId('view-log')).toBeVisible();
  const line = page.getByTestId(`log-line-${killIndex}`);
  await expect(line).toBeVisible();
  await expect(line).toHaveClass(/hl/);
  await expect(line).toContainText(/uid=10070, uRSS=\d+, mm_max=100000000, pid=\d+, pRSS=\d+/);
  // ...and it is in the kill table.
  const killRow = page.getByTestId(`kill-row-${killIndex}`);
  await expect(killRow).toContainText('mm_limit');
  await expect(killRow).toContainText('u0_a70');
  await shot(page, '08-kernel-log-kill');

  // Filters: text, "kills only", an invalid regex refused inline.
  await page.getByTestId('log-kills-only').check();
  await expect(page.getByTestId(`log-line-${killIndex}`)).toBeVisible();
  await page.getByTestId('log-regex').check();
  await page.getByTestId('log-filter').fill('pid=(');
  await expect(page.getByTestId('log-filter-error')).toContainText('Invalid regular expression');
  await page.getByTestId('log-filter').fill('pid=\\d+');
  await expect(page.getByTestId('log-filter-error')).toHaveCount(0);
  await expect(page.getByTestId(`log-line-${killIndex}`)).toBeVisible();
  await shot(page, '09-kernel-log-filtered');
  await page.getByTestId('log-filter').fill('');
  await page.getByTestId('log-regex').uncheck();
  await page.getByTestId('log-kills-only').uncheck();

  // And back from the kill table to the chart.
  await page.getByTestId(`kill-chart-${killIndex}`).click();
  await expect(page.getByTestId('view-monitor')).toBeVisible();
  await expect(page.getByTestId(`kill-marker-${killIndex}`)).toBeVisible();
  await expect(page.getByTestId('monitor-pause')).toHaveAttribute('aria-pressed', 'true');
  // Zoom by buttons (no drag needed): in around the kill, which stays in view, and out again.
  await page.getByTestId('monitor-zoom-in').click();
  await expect(page.getByTestId(`kill-marker-${killIndex}`)).toBeVisible();
  await page.getByTestId('monitor-zoom-out').click();
  await expect(page.getByTestId(`kill-marker-${killIndex}`)).toBeVisible();
  await page.getByTestId(`drill-10070`).click();
  await expect(page.getByTestId('process-table')).toBeVisible();
  await shot(page, '10-monitor-focused');
  await page.getByTestId('monitor-pause').click();

  await go(page, 'workloads');
  await expect(page.getByTestId('workload-output')).toHaveAttribute('data-state', /exited|failed|stopped/, { timeout: 60_000 });
  await shot(page, '11-workloads-done');

  // A second device works independently.
  const second = await bootSimulator(page, 2);
  expect(second).not.toBe(first);
  await runSetup(page);
  await clearLimits(page);
  await addLimit(page, 'u0_a71', '64', 'MB', '5');
  await expect(page.getByTestId('limit-row-10071')).toHaveAttribute('data-sync', 'applied', { timeout: 30_000 });
  await shot(page, '12-second-device-limits');
  await go(page, 'log');
  await expect(page.getByTestId('kills-empty')).toBeVisible();
  await page.getByTestId('device-picker').selectOption(first);
  await expect(page.getByTestId(`kill-row-${killIndex}`)).toBeVisible();
  await go(page, 'limits');
  await expect(page.getByTestId('limit-row-10070')).toBeVisible();
  await expect(page.getByTestId('limit-row-10071')).toHaveCount(0);
  await go(page, 'devices');
  await shot(page, '13-devices-two');

  // Dark theme.
  await page.getByTestId('theme').selectOption('dark');
  await go(page, 'monitor');
  await shot(page, '14-monitor-dark');
  await go(page, 'setup');
  await shot(page, '15-setup-dark');
  await page.getByTestId('theme').selectOption('auto');

  for (const serial of [second, first]) {
    await go(page, 'devices');
    await page.getByTestId(`device-${serial}`).getByTestId('device-stop').click();
    // The device leaves the list, or stays listed as disconnected.
    await expect
      .poll(async () => ((await page.getByTestId(`device-${serial}`).count()) === 0 ? 'gone' : await page.getByTestId(`device-${serial}`).getByTestId('device-state').innerText()), { timeout: 30_000 })
      .toMatch(/gone|disconnected|offline/);
  }
  expect(errors).toEqual([]);
});

test('the UI is keyboard-navigable: skip link, nav with arrow keys, labelled controls', async ({ page }) => {
  await page.goto(START);
  await expect(page.getByTestId('app-version')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByText('Skip to content')).toBeFocused();
  await page.getByTestId('nav-devices').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('nav-setup')).toBeFocused();
  await expect(page.getByTestId('nav-setup')).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('nav-devices')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByLabel('RAM (MiB)')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Boot simulated device' })).toBeVisible();
});
