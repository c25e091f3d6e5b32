import { createServer } from 'node:net';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Any free TCP port chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** An emulator port pair: odd adb port P in 5555..5585 with its console port P-1, both free, not in `taken`. */
export async function freeEmulatorPort(taken: Set<number>): Promise<number | undefined> {
  for (let port = 5555; port <= 5585; port += 2) {
    if (taken.has(port)) continue;
    if ((await isPortFree(port)) && (await isPortFree(port - 1))) return port;
  }
  return undefined;
}
