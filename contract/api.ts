import type { z } from 'zod';
import type { Envelope } from './errors.js';
import { appEvents, appRequests } from './domains/app.js';
import { deviceEvents, deviceRequests } from './domains/devices.js';
import { kernelLogEvents, kernelLogRequests } from './domains/kernel-log.js';
import { limitEvents, limitRequests } from './domains/limits.js';
import { monitorEvents, monitorRequests } from './domains/monitor.js';
import { provisioningEvents, provisioningRequests } from './domains/provisioning.js';
import { sessionEvents, sessionRequests } from './domains/sessions.js';
import { workloadEvents, workloadRequests } from './domains/workloads.js';

/** Every request the UI can make: its payload schema and its result schema. */
export const requests = {
  ...appRequests,
  ...deviceRequests,
  ...provisioningRequests,
  ...limitRequests,
  ...monitorRequests,
  ...kernelLogRequests,
  ...workloadRequests,
  ...sessionRequests,
} as const;

/** Every event the backend pushes to the UI, with its payload schema. */
export const events = {
  ...appEvents,
  ...deviceEvents,
  ...provisioningEvents,
  ...limitEvents,
  ...monitorEvents,
  ...kernelLogEvents,
  ...workloadEvents,
  ...sessionEvents,
} as const;

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;
export type RequestOf<K extends RequestName> = z.input<(typeof requests)[K]['req']>;
export type ResultOf<K extends RequestName> = z.output<(typeof requests)[K]['res']>;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;

export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];

/** The backend's side: one handler per request, already given a validated payload. */
export type ApiHandlers = {
  [K in RequestName]: (req: z.output<(typeof requests)[K]['req']>) => Promise<ResultOf<K>>;
};

export type Unsubscribe = () => void;

/** The UI's side: one method per request, plus one subscription method for events. */
export type GoldfishApi = {
  [K in RequestName]: (req: RequestOf<K>) => Promise<ResultOf<K>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): Unsubscribe;
};

/** What crosses the process boundary (preload or WebSocket): results still wrapped in an Envelope. */
export type GoldfishBridge = {
  [K in RequestName]: (req: RequestOf<K>) => Promise<Envelope<ResultOf<K>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): Unsubscribe;
};

export const IPC_REQUEST_PREFIX = 'goldfish:req:';
export const IPC_EVENT_PREFIX = 'goldfish:evt:';
