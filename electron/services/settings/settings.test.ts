import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultAdbPort, SettingsService } from './settings-service.js';

const DEFAULTS = { adbServerPort: 5037, defaultInterval: 3, sampleHz: 1 };

describe('settings', () => {
  it('persists atomically and survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    const first = new SettingsService(dir, DEFAULTS);
    expect(await first.get()).toEqual(DEFAULTS);
    await first.update({ adbPath: '/opt/sdk/platform-tools/adb', adbServerPort: 5039, defaultInterval: 5, sampleHz: 2 });
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(await new SettingsService(dir, DEFAULTS).get()).toEqual({ adbPath: '/opt/sdk/platform-tools/adb', adbServerPort: 5039, defaultInterval: 5, sampleHz: 2 });
    await first.update({ adbPath: '  ' });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ adbServerPort: 5039, defaultInterval: 5, sampleHz: 2 });
  });

  it('falls back to defaults when the file is corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'settings.json'), '{"adbServ');
    expect(await new SettingsService(dir, DEFAULTS).get()).toEqual(DEFAULTS);
  });

  it('keeps the valid settings of a hand-edited file and drops the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ adbServerPort: 5040, sampleHz: 99, defaultInterval: 'soon', junk: 1 }));
    expect(await new SettingsService(dir, DEFAULTS).get()).toEqual({ ...DEFAULTS, adbServerPort: 5040 });
  });

  it('reads ANDROID_ADB_SERVER_PORT', () => {
    expect(defaultAdbPort({ ANDROID_ADB_SERVER_PORT: '5099' })).toBe(5099);
    expect(defaultAdbPort({ ANDROID_ADB_SERVER_PORT: 'x' })).toBe(5037);
  });
});
