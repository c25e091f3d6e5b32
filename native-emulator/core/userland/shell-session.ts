import type { ShellHandle, ShellIo, ShellRequest } from '../device-api.js';
import { Pipe, SharedFile, SinkFile } from '../fs/open-file.js';
import type { Kernel } from '../kernel/kernel.js';
import { statusToShellCode } from '../kernel/signals.js';
import type { Task } from '../kernel/task.js';
import { shMain } from '../shell/sh.js';

export const SHELL_ENV: Readonly<Record<string, string>> = {
  PATH: '/sbin:/vendor/bin:/system/sbin:/system/bin:/system/xbin',
  LD_LIBRARY_PATH: '/vendor/lib:/system/lib',
  ANDROID_ROOT: '/system',
  ANDROID_DATA: '/data',
  ANDROID_ASSETS: '/system/app',
  ANDROID_STORAGE: '/storage',
  EXTERNAL_STORAGE: '/storage/sdcard',
  ASEC_MOUNTPOINT: '/mnt/asec',
  LOOP_MOUNTPOINT: '/mnt/obb',
  HOSTNAME: 'generic',
  HOME: '/',
};

/** ONLCR: what a pty does to output newlines. */
function onlcr(data: Uint8Array): Uint8Array {
  let n = 0;
  for (const b of data) if (b === 10) n++;
  if (n === 0) return data;
  const out = new Uint8Array(data.length + n);
  let o = 0;
  for (const b of data) {
    if (b === 10) out[o++] = 13;
    out[o++] = b;
  }
  return out;
}

export interface SessionHooks {
  /** Called with the session's exit code once the shell is gone and nobody holds its output. */
  ended(): void;
}

/**
 * One `adb shell` stream: /system/bin/sh as a child of adbd, in its own session, with stdin from the host and
 * stdout/stderr to the host. exit() comes once the shell has exited and every holder of its output has closed it.
 */
export function startShellSession(k: Kernel, adbd: Task, request: ShellRequest, io: ShellIo, hooks?: SessionHooks): ShellHandle & { task: Task; end(code: number): void } {
  const pty = request.pty ?? false;
  let finished = false;
  let openOutputs = pty ? 1 : 2;
  let shellCode: number | null = null;
  const finish = (code: number) => {
    if (finished) return;
    finished = true;
    io.exit(code);
    hooks?.ended();
  };
  const maybeFinish = () => {
    if (shellCode !== null && openOutputs === 0) finish(shellCode);
  };
  const out = new SharedFile(new SinkFile((d) => !finished && io.stdout(pty ? onlcr(d) : d.slice()), () => {
    openOutputs--;
    maybeFinish();
  }));
  const err = pty ? out.acquire() : new SharedFile(new SinkFile((d) => !finished && io.stderr(d.slice()), () => {
    openOutputs--;
    maybeFinish();
  }));
  const stdin = new Pipe();
  const input = new SharedFile(stdin.readEnd);
  let stdinOpen = true;

  const argv = request.command !== null ? ['/system/bin/sh', '-c', request.command] : pty ? ['/system/bin/sh', '-i'] : ['/system/bin/sh'];
  const env = new Map(Object.entries({ ...SHELL_ENV, ...(request.env ?? {}) }));
  const task = k.spawn({
    parent: adbd,
    argv,
    main: shMain,
    comm: 'sh',
    fds: new Map([[0, input], [1, out], [2, err]]),
    env,
    cwd: '/',
    image: k.programs.get('sh')?.image,
  });
  input.release();
  out.release();
  err.release();
  task.sid = task.pgid = task.pid;
  task.oomScoreAdj = 0;
  task.exitListeners.add((t) => {
    shellCode = statusToShellCode(t.exitStatus ?? 0);
    maybeFinish();
  });

  const closeStdin = () => {
    if (!stdinOpen) return;
    stdinOpen = false;
    stdin.writeEnd.close();
  };
  return {
    task,
    writeStdin(data) {
      if (!stdinOpen || finished) return;
      if (pty) {
        const cooked = data.map((b) => (b === 13 ? 10 : b));
        io.stdout(onlcr(cooked));
        stdin.writeEnd.write(cooked);
      } else stdin.writeEnd.write(data);
    },
    closeStdin,
    hangup() {
      if (finished) return;
      finished = true;
      closeStdin();
      k.hangup(task.sid);
      hooks?.ended();
    },
    end(code) {
      closeStdin();
      finish(code);
    },
  };
}
