/**
 * `shell:<command>` (legacy: stdout and stderr merged, no exit status) and
 * `shell,v2,[TERM=...,][raw|pty]:<command>` (shell protocol v2 framing). An empty command is an interactive shell
 * reading commands from stdin; it gets a pty unless `raw` is asked for (AOSP adb/daemon/shell_service.cpp).
 */
import type { ShellHandle, ShellIo, ShellRequest } from '../../device-api.js';
import { encodeUtf8 } from '../bytes.js';
import type { Service, ServiceHandler, ServiceSocket } from '../service.js';
import { encodeShellFrame, ShellFrameParser, ShellId } from './shell-protocol.js';

export interface ShellArgs {
  protocol: 'none' | 'v2';
  type: 'raw' | 'pty';
  term: string | undefined;
  /** null: interactive. */
  command: string | null;
}

/** Parses a full service name starting with "shell"; undefined when it is not a shell service. */
export function parseShellService(name: string): ShellArgs | undefined {
  if (!name.startsWith('shell')) return undefined;
  const rest = name.slice('shell'.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  const options = rest.slice(0, colon);
  if (options !== '' && !options.startsWith(',')) return undefined;
  let protocol: ShellArgs['protocol'] = 'none';
  let type: ShellArgs['type'] | undefined;
  let term: string | undefined;
  for (const arg of options.split(',').slice(1)) {
    if (arg === 'v2') protocol = 'v2';
    else if (arg === 'raw') type = 'raw';
    else if (arg === 'pty') type = 'pty';
    else if (arg.startsWith('TERM=')) term = arg.slice(5);
    else if (arg !== '') return undefined;
  }
  const command = rest.slice(colon + 1);
  return {
    protocol,
    type: type ?? (command === '' ? 'pty' : 'raw'),
    term,
    command: command === '' ? null : command,
  };
}

export function shellService(name: string): Service | undefined {
  const args = parseShellService(name);
  if (!args) return undefined;
  return args.protocol === 'v2' ? v2Shell(args) : legacyShell(args);
}

function request(args: ShellArgs): ShellRequest {
  return { command: args.command, env: args.term ? { TERM: args.term } : {}, pty: args.type === 'pty' };
}

/** Raw byte pipe: stdin from the stream, stdout and stderr merged into it, exit closes it. */
export function legacyShell(args: ShellArgs): Service {
  return (socket, { device, log }) => {
    let exited = false;
    const io: ShellIo = {
      stdout: (d) => socket.write(d),
      stderr: (d) => socket.write(d),
      exit: () => {
        exited = true;
        socket.close();
      },
    };
    const handle = spawn(device.spawnShell.bind(device), request(args), io, socket, log);
    return {
      data: (d) => {
        if (!exited) handle?.writeStdin(d);
      },
      closed: () => {
        if (!exited) handle?.hangup();
        exited = true;
      },
    };
  };
}

function v2Shell(args: ShellArgs): Service {
  return (socket, { device, log }): ServiceHandler => {
    let exited = false;
    const parser = new ShellFrameParser();
    const io: ShellIo = {
      stdout: (d) => socket.write(encodeShellFrame(ShellId.Stdout, d)),
      stderr: (d) => socket.write(encodeShellFrame(ShellId.Stderr, d)),
      exit: (code) => {
        exited = true;
        socket.write(encodeShellFrame(ShellId.Exit, Uint8Array.of(code & 0xff)));
        socket.close();
      },
    };
    const handle = spawn(device.spawnShell.bind(device), request(args), io, socket, log);
    return {
      data: (d) => {
        for (const frame of parser.push(d)) {
          if (exited || !handle) return;
          switch (frame.id) {
            case ShellId.Stdin:
              handle.writeStdin(frame.data);
              break;
            case ShellId.CloseStdin:
              handle.closeStdin();
              break;
            case ShellId.WindowSizeChange:
              break; // no terminal geometry in the simulator
            default:
              log(`shell v2: ignoring frame id ${frame.id} from the host`);
          }
        }
        if (parser.error && !exited) {
          log(`shell v2: ${parser.error}; closing the stream`);
          exited = true;
          handle?.hangup();
          socket.close();
        }
      },
      closed: () => {
        if (!exited) handle?.hangup();
        exited = true;
      },
    };
  };
}

function spawn(
  spawnShell: (r: ShellRequest, io: ShellIo) => ShellHandle,
  req: ShellRequest,
  io: ShellIo,
  socket: ServiceSocket,
  log: (m: string) => void,
): ShellHandle | undefined {
  try {
    return spawnShell(req, io);
  } catch (e) {
    log(`shell: spawn failed: ${String(e)}`);
    io.stderr(encodeUtf8(`error: ${e instanceof Error ? e.message : String(e)}\n`));
    io.exit(255);
    socket.close();
    return undefined;
  }
}
