/**
 * Serves the ADB device protocol on 127.0.0.1:<port>: one AdbDeviceTransport per TCP connection. The socket has
 * Nagle off and every packet goes out as one write; input pauses while the client is not reading our output.
 */
import net from 'node:net';
import { listenTcp } from './listen.js';
import type { DeviceApi } from '../core/device-api.js';
import { createDeviceDispatcher, type Dispatcher } from '../core/adb/dispatcher.js';
import { AdbDeviceTransport } from '../core/adb/transport.js';

export interface AdbListenOptions {
  device: DeviceApi;
  port: number;
  host?: string;
  dispatcher?: Dispatcher;
  log?(line: string): void;
  /** Called after input was handled (the pacer runs work it scheduled). */
  onActivity?(): void;
  /** Pause reading when this much output is waiting in the socket (bytes). */
  highWaterMark?: number;
}

export interface AdbListener {
  readonly port: number;
  readonly connections: number;
  close(): Promise<void>;
}

export function toBytes(chunk: Buffer): Uint8Array {
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export async function listenAdb(options: AdbListenOptions): Promise<AdbListener> {
  const log = options.log ?? (() => {});
  const dispatcher = options.dispatcher ?? createDeviceDispatcher();
  const highWater = options.highWaterMark ?? 8 * 1024 * 1024;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    let paused = false;
    const transport = new AdbDeviceTransport({
      device: options.device,
      dispatcher,
      send: (bytes) => {
        if (socket.destroyed) return;
        if (!socket.write(bytes) && socket.writableLength > highWater && !paused) {
          paused = true;
          socket.pause();
        }
      },
      close: (reason) => {
        log(`adb ${peer}: closing connection: ${reason}`);
        socket.destroy();
      },
      log: (m) => log(`adb ${peer}: ${m}`),
    });
    socket.on('drain', () => {
      if (paused) {
        paused = false;
        socket.resume();
      }
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        transport.receive(toBytes(chunk));
      } catch (e) {
        log(`adb ${peer}: internal error, dropping the connection: ${e instanceof Error ? e.stack : String(e)}`);
        transport.dispose();
        socket.destroy();
      }
      options.onActivity?.();
    });
    socket.on('error', (e) => log(`adb ${peer}: socket error: ${e.message}`));
    socket.on('close', () => {
      sockets.delete(socket);
      transport.dispose();
    });
  });
  const listening = await listenTcp(server, sockets, options.port, options.host);
  server.on('error', (e) => log(`adb listener: ${e.message}`));
  return {
    port: listening.port,
    get connections() {
      return sockets.size;
    },
    close: listening.close,
  };
}
