import { ApiError } from './errors.js';
import { events, requests, type EventName, type EventOf, type RequestName } from './api.js';

function describeIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** Checks an untrusted request; throws ApiError('bad-request') with every problem named. */
export function parseRequest<K extends RequestName>(name: K, payload: unknown) {
  const result = requests[name].req.safeParse(payload ?? {});
  if (!result.success) {
    throw new ApiError({ code: 'bad-request', message: `Invalid ${name} request: ${describeIssues(result.error)}` });
  }
  return result.data;
}

export function parseEvent<E extends EventName>(name: E, payload: unknown): EventOf<E> {
  const result = events[name].safeParse(payload);
  if (!result.success) {
    throw new ApiError({ code: 'bad-event', message: `Invalid ${name} event: ${describeIssues(result.error)}` });
  }
  return result.data as EventOf<E>;
}
