import type { AdbStatus } from '../../../contract/domains/devices.js';
import type { AdbService } from '../adb/adb-service.js';
import type { SimulatorRecord } from '../simulator/launcher.js';
import type { DeviceTracker } from './device-tracker.js';

/**
 * Keeps the tracker fed: the adb server's devices when adb runs, and each simulator's own host endpoint
 * when it does not. Reconnects when the settings name another adb or port.
 */
export class AdbConnection {
  constructor(private readonly adb: AdbService, private readonly tracker: DeviceTracker) {}

  async connect(): Promise<AdbStatus> {
    const status = await this.adb.start();
    if (this.adb.client) this.tracker.addSource('adb', this.adb.client);
    return status;
  }

  async reconnect(port: number): Promise<AdbStatus> {
    this.tracker.removeSource('adb');
    await this.adb.reconfigure(port);
    return this.connect();
  }

  /** The sim port the simulators register with; undefined when they must serve their own host endpoint. */
  serverPort(): number | undefined {
    return this.adb.status().serverRunning ? this.adb.port : undefined;
  }

  simulatorChanged(sim: SimulatorRecord): void {
    const key = `sim:${sim.serial}`;
    if (sim.hostPort === undefined || this.adb.status().serverRunning) return;
    if (sim.info.status === 'running') this.tracker.addPort(key, sim.hostPort);
    else if (sim.info.status === 'stopped') this.tracker.removeSource(key);
  }
}
