/**
 * Tells the adb server about this emulator: `host:emulator:<adb port>` on 127.0.0.1:<server port>
 * (ANDROID_ADB_SERVER_PORT or 5037). The server then connects to us. To notice a restarted server cheaply, we keep
 * one `host:track-devices` connection open: when it drops, we retry once a second, and register again as soon as
 * a server answers; if the server's list loses our serial, we register again too.
 */
import net from 'node:net';
import { encodeRequest } from '../core/adb/host/framing.js';

export interface RegistrarOptions {
  adbPort: number;
  serverPort?: number;
  log?(line: string): void;
  retryMs?: number;
}

export function adbServerPort(env: NodeJS.ProcessEnv = process.env): number {
  const port = Number.parseInt(env.ANDROID_ADB_SERVER_PORT ?? '', 10);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : 5037;
}

export class AdbServerRegistrar {
  private readonly serverPort: number;
  private readonly serial: string;
  private readonly retryMs: number;
  private tracker: net.Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastRegister = 0;
  registrations = 0;

  constructor(private readonly options: RegistrarOptions) {
    this.serverPort = options.serverPort ?? adbServerPort();
    this.serial = `emulator-${options.adbPort - 1}`;
    this.retryMs = options.retryMs ?? 1000;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.tracker?.destroy();
    this.tracker = undefined;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private retryLater(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, this.retryMs);
    this.timer.unref();
  }

  /** Opens the tracking connection; a server answering means (re-)register. */
  private connect(): void {
    if (this.stopped || this.tracker) return;
    const socket = net.connect({ host: '127.0.0.1', port: this.serverPort });
    this.tracker = socket;
    let buffer = '';
    let okay = false;
    socket.on('connect', () => {
      this.register();
      socket.write(encodeRequest('host:track-devices'));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      if (!okay) {
        if (buffer.length < 4) return;
        if (!buffer.startsWith('OKAY')) {
          socket.destroy();
          return;
        }
        okay = true;
        buffer = buffer.slice(4);
      }
      for (;;) {
        if (buffer.length < 4) return;
        const length = Number.parseInt(buffer.slice(0, 4), 16);
        if (buffer.length < 4 + length) return;
        const list = buffer.slice(4, 4 + length);
        buffer = buffer.slice(4 + length);
        const listed = list.split('\n').some((line) => line.split('\t')[0] === this.serial);
        if (!listed && Date.now() - this.lastRegister > 2000) this.register();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.tracker === socket) this.tracker = undefined;
      this.retryLater();
    });
  }

  private register(): void {
    this.lastRegister = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port: this.serverPort }, () => {
      socket.end(encodeRequest(`host:emulator:${this.options.adbPort}`));
      this.registrations++;
      this.log(`registered ${this.serial} with the adb server on port ${this.serverPort}`);
    });
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.setTimeout(2000, () => socket.destroy());
  }
}
