import { join } from 'node:path';
import { Settings } from '../../../contract/domains/app.js';
import { readJson, writeJsonAtomic } from '../common/atomic-file.js';

export type { Settings };

export const DEFAULT_INTERVAL_S = 3;
export const DEFAULT_SAMPLE_HZ = 1;

export function defaultAdbPort(env: Record<string, string | undefined> = process.env): number {
  const port = Number(env.ANDROID_ADB_SERVER_PORT);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : 5037;
}

/** The app's settings, persisted in <dataDir>/settings.json (written atomically). */
export class SettingsService {
  private loaded?: Settings;

  constructor(private readonly dataDir: string, private readonly defaults: Settings) {}

  private get file(): string {
    return join(this.dataDir, 'settings.json');
  }

  /** The settings as last read or saved (the defaults before the first get()). */
  get current(): Settings {
    return { ...(this.loaded ?? this.defaults) };
  }

  async get(): Promise<Settings> {
    if (!this.loaded) {
      // A file edited by hand may hold anything: keep only the settings that are valid.
      const stored = await readJson<Record<string, unknown>>(this.file, {});
      const valid = Object.fromEntries(Object.entries(stored ?? {}).filter(([key, value]) => key in Settings.shape && Settings.partial().safeParse({ [key]: value }).success));
      this.loaded = { ...this.defaults, ...valid };
    }
    return { ...this.loaded };
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = { ...(await this.get()), ...patch };
    if (next.adbPath !== undefined && !next.adbPath.trim()) delete next.adbPath;
    await writeJsonAtomic(this.file, next);
    this.loaded = next;
    return { ...next };
  }
}
