import { ApiError, isRequestName, parseRequest, type ApiErrorShape, type ApiHandlers, type Envelope } from '../../contract/index.js';

export function toErrorShape(error: unknown): ApiErrorShape {
  if (error instanceof ApiError) return error.toShape();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}

/**
 * The one entry point for untrusted requests (Electron IPC and the serve-mode WebSocket alike):
 * unknown names and invalid payloads are refused before any handler runs.
 */
export async function dispatch(handlers: ApiHandlers, name: unknown, payload: unknown): Promise<Envelope<unknown>> {
  if (!isRequestName(name)) {
    return { ok: false, error: { code: 'unknown-request', message: `Unknown request "${String(name).slice(0, 80)}"` } };
  }
  try {
    const request = parseRequest(name, payload);
    const handler = handlers[name] as (req: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(request) };
  } catch (error) {
    return { ok: false, error: toErrorShape(error) };
  }
}
