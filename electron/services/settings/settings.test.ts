import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultAdbPort, SettingsService } from './settings-service.js';

describe('settings', () => {
  it('persists atomically and survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    const first = new SettingsService(dir, { adbServerPort: 5037 });
    expect(await first.get()).toEqual({ adbServerPort: 5037 });
    await first.update({ adbPath: '/opt/sdk/platform-tools/adb', adbServerPort: 5039 });
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(await new SettingsService(dir, { adbServerPort: 5037 }).get()).toEqual({ adbPath: '/opt/sdk/platform-tools/adb', adbServerPort: 5039 });
    await first.update({ adbPath: '  ' });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ adbServerPort: 5039 });
  });

  it('falls back to defaults when the file is corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'settings.json'), '{"adbServ');
    expect(await new SettingsService(dir, { adbServerPort: 5037 }).get()).toEqual({ adbServerPort: 5037 });
  });

  it('reads ANDROID_ADB_SERVER_PORT', () => {
    expect(defaultAdbPort({ ANDROID_ADB_SERVER_PORT: '5099' })).toBe(5099);
    expect(defaultAdbPort({ ANDROID_ADB_SERVER_PORT: 'x' })).toBe(5037);
  });
});
