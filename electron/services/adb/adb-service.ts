import type { AdbStatus } from '../../../contract/domains/devices.js';
import { Emitter } from '../common/emitter.js';
import { Adb, type AdbClient } from './adbkit.js';
import { adbBinaryVersion, killAdbServer, probeAdbServer, startAdbServer } from './adb-server.js';
import { locateAdb, type LocateAdbOptions } from './locate.js';

export interface AdbServiceOptions {
  /** The adb server port (5037 unless ANDROID_ADB_SERVER_PORT says otherwise). */
  port: number;
  /** Where to look for adb, read at every start() (the setting may change). */
  locate: () => LocateAdbOptions;
}

/** Finds adb, starts its server when needed (and only then kills it on dispose), and holds the one adbkit client. */
export class AdbService extends Emitter<{ status: AdbStatus }> {
  private current: AdbStatus;
  private adbClient?: AdbClient;
  private startedByUs = false;

  constructor(private options: AdbServiceOptions) {
    super();
    this.current = { source: 'none', serverPort: options.port, serverRunning: false };
  }

  status(): AdbStatus {
    return this.current;
  }

  /** The adbkit client for the server, once it runs. */
  get client(): AdbClient | undefined {
    return this.adbClient;
  }

  get port(): number {
    return this.options.port;
  }

  async start(): Promise<AdbStatus> {
    const found = locateAdb(this.options.locate());
    const status: AdbStatus = { source: found.source, serverPort: this.options.port, serverRunning: false };
    if (found.binary) {
      status.binary = found.binary;
      status.version = await adbBinaryVersion(found.binary);
    } else status.problem = found.problem;

    let version = await probeAdbServer(this.options.port);
    if (version === undefined && found.binary) {
      try {
        await startAdbServer(found.binary, this.options.port);
        this.startedByUs = true;
        version = await probeAdbServer(this.options.port);
      } catch (error) {
        status.problem = `adb could not start its server on port ${this.options.port}: ${(error as Error).message.split('\n')[0]}. Another program may hold the port; set another port or stop it.`;
      }
    }
    status.serverRunning = version !== undefined;
    if (version !== undefined) {
      this.adbClient = Adb.createClient({ host: '127.0.0.1', port: this.options.port, ...(found.binary ? { bin: found.binary } : {}) });
    } else if (!status.problem) {
      status.problem = `No adb server answers on port ${this.options.port} and no adb binary was found to start one.`;
    }
    this.current = status;
    this.emit('status', status);
    return status;
  }

  /** Switches to another server port (settings changed): the old server is let go, killed if ours. */
  async reconfigure(port: number): Promise<void> {
    await this.dispose();
    this.options = { ...this.options, port };
  }

  /** Kills the server only when this app started it. */
  async dispose(): Promise<void> {
    if (this.startedByUs && this.current.binary) await killAdbServer(this.current.binary, this.options.port);
    this.startedByUs = false;
    this.adbClient = undefined;
  }
}
