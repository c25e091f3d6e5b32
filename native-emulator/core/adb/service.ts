/**
 * What a device service (shell, sync, reboot, ...) sees of its stream. The same service runs behind an ADB
 * transport stream (OPEN/WRTE/CLSE, streams.ts) or directly on a host smart-socket after host:transport.
 */
import type { DeviceApi } from '../device-api.js';

export interface ServiceSocket {
  /** Queue bytes for the client, in order. */
  write(data: Uint8Array): void;
  /** Close after everything written so far reached the client. Idempotent. */
  close(): void;
}

export interface ServiceHandler {
  /** Bytes from the client (a WRTE payload; boundaries mean nothing). */
  data(data: Uint8Array): void;
  /** The client closed the stream, or the connection is gone. No more writes will be delivered. */
  closed(): void;
}

export interface ServiceContext {
  readonly device: DeviceApi;
  log(message: string): void;
}

/** Starts a service on an opened stream. */
export type Service = (socket: ServiceSocket, context: ServiceContext) => ServiceHandler;

export type Logger = (message: string) => void;
