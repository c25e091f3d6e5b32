/**
 * A minimal emulator console on port-1 (what `adb emu` talks to): greets, accepts `auth <token>` (any token),
 * answers `avd name`, `help`, `ping`, `kill` (stops the simulator) and `quit`, with the emulator's OK / KO lines.
 */
import net from 'node:net';
import { listenTcp } from './listen.js';

export interface ConsoleOptions {
  port: number;
  avdName: string;
  onKill(): void;
  log?(line: string): void;
}

export interface ConsoleServer {
  readonly port: number;
  close(): Promise<void>;
}

export function listenConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('latin1');
    socket.write("Android Console: type 'help' for a list of commands\r\nOK\r\n");
    let buffer = '';
    socket.on('data', (text: string) => {
      buffer += text;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '').trim();
        buffer = buffer.slice(nl + 1);
        const [cmd, ...args] = line.split(/\s+/);
        switch (cmd) {
          case '':
            break;
          case 'auth':
          case 'ping':
            socket.write(cmd === 'ping' ? 'I am alive!\r\nOK\r\n' : 'OK\r\n');
            break;
          case 'help':
            socket.write('Android console commands:\r\n    avd name\r\n    kill\r\n    ping\r\n    quit|exit\r\nOK\r\n');
            break;
          case 'avd':
            if (args[0] === 'name') socket.write(`${options.avdName}\r\nOK\r\n`);
            else socket.write(`KO: unknown avd command '${args.join(' ')}'\r\n`);
            break;
          case 'kill':
            socket.end('OK: killing emulator, bye bye\r\n');
            options.log?.('console: kill');
            setImmediate(() => options.onKill());
            return;
          case 'quit':
          case 'exit':
            socket.end();
            return;
          default:
            socket.write(`KO: unknown command, try 'help'\r\n`);
        }
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  return listenTcp(server, sockets, options.port);
}
