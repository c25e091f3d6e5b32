import { expect, test } from '@playwright/test';
import { APP_URL } from './support/serve-env.js';

test('the app loads in Chromium with the token and talks to the backend', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(APP_URL);
  await expect(page.getByRole('heading', { name: 'Goldfish OOM Manager' })).toBeVisible();
  await expect(page.getByTestId('app-version')).toContainText('serve');
  await page.screenshot({ path: 'reports/screenshots/serve-home.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('without the token the page and the API answer 401', async ({ request }) => {
  expect((await request.get('/')).status()).toBe(401);
  expect((await request.get('/api')).status()).toBe(401);
});
