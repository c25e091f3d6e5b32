import { randomUUID } from 'node:crypto';
import type { Workload, WorkloadSpec } from '../../../contract/domains/workloads.js';
import { apiError, errorMessage } from '../common/errors.js';
import { Emitter } from '../common/emitter.js';
import { shellQuote, type DeviceIo, type SpawnedCommand } from '../adb/device-io.js';
import { REMOTE_DIR } from '../devices/device-access.js';

const OUTPUT_CAP = 64 * 1024;

/** The seed's test program: `test [-g GRACE_S] [-i] [-h HOLD_S] [-r MIB_PER_S] USER LIMIT MEM...`, run from the payload folder. */
export function workloadCommand(spec: WorkloadSpec, remoteDir = REMOTE_DIR): string {
  if (spec.kind === 'command') return spec.command;
  const args: Array<string | number> = [];
  if (spec.grace) args.push('-g', spec.grace);
  if (spec.ignoreTerm) args.push('-i');
  if (spec.holdSeconds !== undefined) args.push('-h', spec.holdSeconds);
  if (spec.rateMiBps !== undefined) args.push('-r', spec.rateMiBps);
  args.push(spec.user, spec.limit, ...spec.mems);
  return `cd ${remoteDir} && ./test ${args.map(shellQuote).join(' ')}`;
}

interface Running {
  workload: Workload;
  handle?: SpawnedCommand;
  stopping: boolean;
}

/** Runs the test program and arbitrary commands on a device, streams their output, stops them. */
export class WorkloadService extends Emitter<{ output: { id: string; stream: 'stdout' | 'stderr'; text: string }; changed: Workload }> {
  private readonly workloads = new Map<string, Running>();

  constructor(private readonly options: { io: (serial: string) => DeviceIo; remoteDir?: string }) {
    super();
  }

  async run(serial: string, spec: WorkloadSpec): Promise<Workload> {
    const io = this.options.io(serial);
    const commandLine = workloadCommand(spec, this.options.remoteDir);
    const running: Running = { workload: { id: randomUUID(), serial, commandLine, state: 'running', startedAt: Date.now(), output: '' }, stopping: false };
    this.workloads.set(running.workload.id, running);
    const append = (stream: 'stdout' | 'stderr', text: string) => {
      const output = running.workload.output + text;
      running.workload.output = output.length > OUTPUT_CAP ? output.slice(output.length - OUTPUT_CAP) : output;
      this.emit('output', { id: running.workload.id, stream, text });
    };
    try {
      running.handle = await io.spawn(commandLine, { onStdout: (t) => append('stdout', t), onStderr: (t) => append('stderr', t) });
    } catch (error) {
      running.workload.state = 'failed';
      running.workload.output = errorMessage(error);
      this.emit('changed', { ...running.workload });
      throw apiError('workload-failed', `Could not start \`${commandLine}\`: ${errorMessage(error)}`, 'Check that the device is connected and try again.');
    }
    void running.handle.exited.then((code) => {
      running.workload.state = running.stopping ? 'stopped' : code === undefined ? 'failed' : 'exited';
      if (code !== undefined) running.workload.exitCode = code;
      this.emit('changed', { ...running.workload });
    });
    this.emit('changed', { ...running.workload });
    return { ...running.workload };
  }

  /** Hangs the session up: the device sends SIGHUP to the command's processes. */
  async stop(id: string): Promise<Workload> {
    const running = this.workloads.get(id);
    if (!running) throw apiError('unknown-workload', `No workload ${id}`, 'It may belong to an earlier run of the app.');
    if (running.workload.state === 'running') {
      running.stopping = true;
      running.handle?.kill();
      await running.handle?.exited;
    }
    return { ...running.workload };
  }

  /** Resolves when the workload has ended (tests). */
  async wait(id: string): Promise<Workload> {
    const running = this.workloads.get(id);
    if (!running) throw apiError('unknown-workload', `No workload ${id}`);
    await running.handle?.exited;
    await new Promise((resolve) => setImmediate(resolve));
    return { ...running.workload };
  }

  list(serial?: string): Workload[] {
    return [...this.workloads.values()].map((r) => ({ ...r.workload })).filter((w) => !serial || w.serial === serial);
  }

  dispose(): void {
    for (const running of this.workloads.values()) if (running.workload.state === 'running') {
      running.stopping = true;
      running.handle?.kill();
    }
  }
}
