import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type AdbSource = 'setting' | 'android-sdk' | 'path' | 'bundled' | 'none';

export interface LocateAdbOptions {
  /** The user's setting (a path to the adb binary), tried first. */
  setting?: string;
  env?: Record<string, string | undefined>;
  /** Folder holding a copy of adb bundled in the app's resources. */
  bundledDir?: string;
  platform?: NodeJS.Platform;
}

export interface AdbLocation {
  binary?: string;
  source: AdbSource;
  /** Every place looked at, in order, with why it was not taken. */
  tried: string[];
  problem?: string;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds adb: the setting, then $ANDROID_HOME / $ANDROID_SDK_ROOT platform-tools, then PATH, then the bundled copy. */
export function locateAdb(options: LocateAdbOptions = {}): AdbLocation {
  const env = options.env ?? process.env;
  const exe = (options.platform ?? process.platform) === 'win32' ? 'adb.exe' : 'adb';
  const tried: string[] = [];
  const candidates: Array<{ path: string; source: AdbSource }> = [];

  if (options.setting?.trim()) candidates.push({ path: options.setting.trim(), source: 'setting' });
  for (const variable of ['ANDROID_HOME', 'ANDROID_SDK_ROOT']) {
    const root = env[variable];
    if (root) candidates.push({ path: join(root, 'platform-tools', exe), source: 'android-sdk' });
  }
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (dir) candidates.push({ path: join(dir, exe), source: 'path' });
  }
  if (options.bundledDir) candidates.push({ path: join(options.bundledDir, exe), source: 'bundled' });

  for (const candidate of candidates) {
    if (isExecutableFile(candidate.path)) return { binary: candidate.path, source: candidate.source, tried };
    tried.push(`${candidate.source}: ${candidate.path} (not an executable file)`);
  }
  const settingBroken = options.setting?.trim() ? ` The adb path in Settings (${options.setting.trim()}) is not an executable file.` : '';
  return {
    source: 'none',
    tried,
    problem:
      `adb was not found (looked at the setting, ANDROID_HOME/ANDROID_SDK_ROOT platform-tools, PATH and the app's bundled copy).${settingBroken} ` +
      'Install Android SDK platform-tools (Debian: apt-get install adb) or set the adb path in Settings. ' +
      "Simulated devices still work: the app reaches them through the simulator's own host endpoint.",
  };
}
