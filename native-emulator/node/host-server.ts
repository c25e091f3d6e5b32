/**
 * Serves the adb host (smart-socket) protocol on 127.0.0.1:<port> from the pure HostConnection, so clients such as
 * adbkit (or `adb -P <port>`) can use the simulator when no adb server is installed.
 */
import net from 'node:net';
import { listenTcp } from './listen.js';
import { HostConnection } from '../core/adb/host/host-connection.js';
import type { DeviceRegistry } from '../core/adb/host/registry.js';
import { toBytes } from './tcp-adapter.js';

export interface HostServerOptions {
  registry: DeviceRegistry;
  port: number;
  host?: string;
  log?(line: string): void;
  onKill?(): void;
  onActivity?(): void;
}

export interface HostServer {
  readonly port: number;
  close(): Promise<void>;
}

export function listenHostServer(options: HostServerOptions): Promise<HostServer> {
  const log = options.log ?? (() => {});
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const conn = new HostConnection({
      registry: options.registry,
      send: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      close: () => socket.end(),
      log: (m) => log(`host ${socket.remotePort}: ${m}`),
      onKill: () => {
        log('host: host:kill received; the simulator keeps serving');
        options.onKill?.();
      },
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        conn.receive(toBytes(chunk));
      } catch (e) {
        log(`host: internal error, dropping the connection: ${e instanceof Error ? e.stack : String(e)}`);
        conn.dispose();
        socket.destroy();
      }
      options.onActivity?.();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      conn.dispose();
    });
  });
  return listenTcp(server, sockets, options.port, options.host);
}
