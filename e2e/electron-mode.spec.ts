import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from './support/electron-binary.js';
import { bootSimulator, go, runSetup, setSeedLimit, shot } from './support/flow.js';
import { SERVE_ADB_PORT } from './support/serve-env.js';

// The main flow in the Electron app itself: where Electron's binary is installed (it cannot be downloaded on
// every machine; there this test is skipped with the reason).
const binary = electronBinary();

test('Electron: hardened window; boot a simulated device, set up, limit u0_a70, run test 1, see the kill; a clean quit', async () => {
  test.skip(!binary.path, `Skipped: ${binary.reason}`);
  test.setTimeout(300_000);
  const app = await electron.launch({
    executablePath: binary.path,
    args: ['.', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'goldfish-electron-'))}`],
    env: { ...process.env, ANDROID_ADB_SERVER_PORT: String(SERVE_ADB_PORT) },
  });
  const window = await app.firstWindow();
  await expect(window.getByTestId('app-version')).toContainText('electron');

  // The renderer has one bridge object: no Node, no ipcRenderer, no unlisted channel; bad payloads are refused.
  const exposed = await window.evaluate(async () => {
    const bridge = (globalThis as unknown as { goldfish: Record<string, (req: unknown) => Promise<{ ok: boolean; error?: { code: string } }>> }).goldfish;
    const refused = await bridge.setLimit({ serial: 'emulator-5554', user: 'u0_a70', mmMax: -5, grace: -1 });
    return { require: typeof (globalThis as { require?: unknown }).require, process: typeof (globalThis as { process?: unknown }).process, keys: Object.keys(bridge), refused };
  });
  expect(exposed.require).toBe('undefined');
  expect(exposed.process).toBe('undefined');
  expect(exposed.keys).toContain('getAppInfo');
  expect(exposed.keys).not.toContain('invoke');
  expect(exposed.refused).toMatchObject({ ok: false, error: { code: 'bad-request' } });

  const serial = await bootSimulator(window, 11);
  await runSetup(window, 3);
  await setSeedLimit(window);
  await go(window, 'workloads');
  await window.getByTestId('preset-test1').click();
  await window.getByTestId('workload-run').click();
  await go(window, 'log');
  await expect(window.locator('[data-testid^="kill-row-"]').first()).toContainText('mm_limit', { timeout: 90_000 });
  await shot(window, 'electron-kill');

  // Quitting stops the simulator the app started (its utility process) and the adb server it started.
  const simPid = await window.evaluate(async (s) => {
    const bridge = (globalThis as unknown as { goldfish: { listDevices: (req: object) => Promise<{ ok: boolean; value: Array<{ serial: string; simulator?: { pid?: number } }> }> } }).goldfish;
    return (await bridge.listDevices({})).value.find((device) => device.serial === s)?.simulator?.pid;
  }, serial);
  await app.close();
  expect(simPid).toBeGreaterThan(0);
  expect(() => process.kill(simPid!, 0)).toThrow();
});
