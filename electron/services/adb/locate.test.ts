import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateAdb } from './locate.js';

function fakeAdb(dir: string, executable = true): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'adb');
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

describe('locateAdb', () => {
  const root = mkdtempSync(join(tmpdir(), 'adb-locate-'));
  const setting = fakeAdb(join(root, 'setting'));
  const sdk = fakeAdb(join(root, 'sdk', 'platform-tools'));
  const onPath = fakeAdb(join(root, 'bin'));
  const bundled = fakeAdb(join(root, 'resources'));

  it('prefers the setting, then the SDK, then PATH, then the bundled copy', () => {
    const env = { ANDROID_HOME: join(root, 'sdk'), PATH: join(root, 'bin') };
    expect(locateAdb({ setting, env, bundledDir: join(root, 'resources') })).toMatchObject({ binary: setting, source: 'setting' });
    expect(locateAdb({ env, bundledDir: join(root, 'resources') })).toMatchObject({ binary: sdk, source: 'android-sdk' });
    expect(locateAdb({ env: { ANDROID_SDK_ROOT: join(root, 'sdk') } })).toMatchObject({ binary: sdk, source: 'android-sdk' });
    expect(locateAdb({ env: { PATH: `/nonexistent:${join(root, 'bin')}` } })).toMatchObject({ binary: onPath, source: 'path' });
    expect(locateAdb({ env: {}, bundledDir: join(root, 'resources') })).toMatchObject({ binary: bundled, source: 'bundled' });
  });

  it('skips a broken setting and a non-executable file, saying what it tried', () => {
    const notExec = fakeAdb(join(root, 'noexec'), false);
    const found = locateAdb({ setting: notExec, env: { PATH: join(root, 'bin') } });
    expect(found).toMatchObject({ binary: onPath, source: 'path' });
    expect(found.tried[0]).toContain(notExec);
  });

  it('says clearly what is missing when nothing is found', () => {
    const none = locateAdb({ setting: '/no/such/adb', env: { PATH: '/nonexistent' } });
    expect(none.source).toBe('none');
    expect(none.binary).toBeUndefined();
    expect(none.problem).toMatch(/adb was not found/);
    expect(none.problem).toMatch(/\/no\/such\/adb/);
    expect(none.problem).toMatch(/Simulated devices still work/);
  });
});
