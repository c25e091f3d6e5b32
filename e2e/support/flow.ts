import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

// The steps of the main flow, shared by the serve-mode walks and the Electron-mode one.

export const SHOTS = process.env.GOLDFISH_UI_SHOTS ?? 'reports/screenshots';

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

export async function go(page: Page, view: string): Promise<void> {
  await page.getByTestId(`nav-${view}`).click();
  await expect(page.getByTestId(`view-${view}`)).toBeVisible();
}

/** Boots a simulated device from the Devices view; returns its serial. */
export async function bootSimulator(page: Page, seed: number, speed = 2): Promise<string> {
  await go(page, 'devices');
  await page.getByTestId('boot-seed').fill(String(seed));
  await page.getByTestId('boot-speed').fill(String(speed));
  const button = page.getByTestId('boot-button');
  await button.click();
  // The app selects the device it booted when the boot returns. Going by the picker's new entries instead
  // would be fooled by other emulators on this machine that adb lists too (and by serials that get reused).
  await expect(button).toHaveText(/Booting/);
  await expect(button).toHaveText('Boot simulated device', { timeout: 60_000 });
  await expect(page.getByTestId('boot-error')).toHaveCount(0);
  const serial = await page.getByTestId('device-picker').inputValue();
  await expect(page.getByTestId(`device-${serial}`).getByTestId('device-sim')).toContainText(`seed ${seed}`);
  await expect(page.getByTestId(`device-${serial}`).getByTestId('device-state')).toHaveText('online', { timeout: 60_000 });
  return serial;
}

/** Runs the one-click setup with daemon interval T and waits for it to succeed. */
export async function runSetup(page: Page, interval = 3): Promise<void> {
  await go(page, 'setup');
  await page.getByTestId('setup-interval').fill(String(interval));
  await page.getByTestId('setup-run').click();
  await expect(page.getByTestId('step-list')).toBeVisible();
  await expect(page.getByTestId('setup-run-panel')).toHaveAttribute('data-state', /succeeded|failed/, { timeout: 90_000 });
  const state = await page.getByTestId('setup-run-panel').getAttribute('data-state');
  if (state !== 'succeeded') throw new Error(`setup failed: ${await page.getByTestId('setup-run-panel').innerText()}`);
}

export async function addLimit(page: Page, user: string, amount: string, unit: 'B' | 'KB' | 'MB' | 'GB', grace: string): Promise<void> {
  await page.getByTestId('limit-user').fill(user);
  await page.getByTestId('limit-amount').fill(amount);
  await page.getByTestId('limit-unit').selectOption(unit);
  await page.getByTestId('limit-grace').fill(grace);
  await page.getByTestId('limit-add').click();
}

/** Sets the seed's limit for u0_a70 (100000000 bytes, no grace) and waits until the device has it. */
export async function setSeedLimit(page: Page): Promise<void> {
  await clearLimits(page);
  await addLimit(page, 'u0_a70', '100000000', 'B', '0');
  await expect(page.getByTestId('limit-row-10070')).toHaveAttribute('data-sync', 'applied', { timeout: 30_000 });
}

/** Limits are kept per serial, and serials come back: start from an empty table, as a user would. */
export async function clearLimits(page: Page): Promise<void> {
  await go(page, 'limits');
  const removes = page.getByTestId('limit-remove');
  for (let left = await removes.count(); left > 0; left--) {
    await removes.first().click();
    await expect(removes).toHaveCount(left - 1, { timeout: 30_000 });
  }
}

/**
 * The WCAG 2.1 A/AA violations axe-core finds on the page as it is now, one line each (empty: none). Frames
 * that run no script (sandbox="") cannot host axe: name them in `exclude` and audit their content apart.
 */
export async function accessibilityViolations(page: Page, where: string, exclude: string[] = []): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  for (const selector of exclude) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  return violations.map((v) => `${where}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}
