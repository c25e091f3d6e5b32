import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from './support/electron-binary.js';

const binary = electronBinary();

test('the Electron app opens a hardened window that reaches the backend', async () => {
  test.skip(!binary.path, `Skipped: ${binary.reason}`);
  const app = await electron.launch({ executablePath: binary.path, args: ['.'] });
  const window = await app.firstWindow();
  await expect(window.getByRole('heading', { name: 'Goldfish OOM Manager' })).toBeVisible();
  await expect(window.getByTestId('app-version')).toContainText('electron');
  const exposed = await window.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    bridge: Object.keys((globalThis as { goldfish?: object }).goldfish ?? {}),
  }));
  expect(exposed.require).toBe('undefined');
  expect(exposed.process).toBe('undefined');
  expect(exposed.bridge).toContain('getAppInfo');
  await app.close();
});
