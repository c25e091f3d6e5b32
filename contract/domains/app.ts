import { z } from 'zod';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'serve']),
  platform: z.string(),
  node: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** What the user can set; persisted in the data folder. */
export const Settings = z.object({
  /** Path to the adb binary; absent: search ANDROID_HOME/ANDROID_SDK_ROOT, PATH, then the bundled copy. */
  adbPath: z.string().max(4096).optional(),
  adbServerPort: z.number().int().min(1).max(65535),
  /** The daemon interval T that Setup proposes. */
  defaultInterval: z.number().int().min(1).max(3600),
  /** Samples per second the monitor asks for. */
  sampleHz: z.number().min(0.1).max(4),
});
export type Settings = z.infer<typeof Settings>;

export const appRequests = {
  getAppInfo: { req: z.object({}).strict(), res: AppInfo },
  getSettings: { req: z.object({}).strict(), res: Settings },
  /** Saves the settings; a changed adb path or port restarts the adb connection. */
  updateSettings: { req: Settings.partial().strict(), res: Settings },
};

export const appEvents = {
  backendLog: z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), at: z.number() }),
};
