import { z } from 'zod';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'serve']),
  platform: z.string(),
  node: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appRequests = {
  getAppInfo: { req: z.object({}).strict(), res: AppInfo },
};

export const appEvents = {
  backendLog: z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), at: z.number() }),
};
