import { ApiError, requestNames, type ApiHandlers } from '../../contract/index.js';
import { EventHub } from './event-hub.js';
import { AppInfoService } from '../services/app-info.js';

export interface BackendOptions {
  mode: 'electron' | 'serve';
  /** Where settings, limits and session logs live. */
  dataDir: string;
}

export interface Backend {
  readonly handlers: ApiHandlers;
  readonly events: EventHub;
  dispose(): Promise<void>;
}

/** Wires the services together; decides nothing itself. Runs under Electron and plain Node alike. */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const events = new EventHub();
  const appInfo = new AppInfoService(options.mode);

  const unavailable = Object.fromEntries(
    requestNames.map((name) => [name, async () => { throw new ApiError({ code: 'unavailable', message: `${name} is not available in this build yet` }); }]),
  ) as unknown as ApiHandlers;
  const handlers: ApiHandlers = {
    ...unavailable,
    getAppInfo: async () => appInfo.info(),
  };

  return {
    handlers,
    events,
    async dispose() {},
  };
}
