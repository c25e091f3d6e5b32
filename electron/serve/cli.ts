import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend } from '../api/backend.js';
import { newToken } from './auth.js';
import { startServeServer } from './server.js';

const USAGE = 'Usage: npm run serve -- [--port P] [--host ADDRESS] [--data-dir DIR] [--static DIR]';

function fail(message: string): never {
  console.error(`serve: ${message}\n${USAGE}`);
  process.exit(2);
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0..65535, got "${text}"`);
  return port;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        static: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const staticDir = resolve(values.static ?? 'out/renderer');
  if (!existsSync(join(staticDir, 'index.html'))) fail(`no built renderer in ${staticDir}: run \`npm run build\` first`);
  const host = values.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    console.warn(`serve: WARNING: listening on ${host}, not loopback: anyone who can reach this address and has the token controls your devices.`);
  }

  const backend = await createBackend({ mode: 'serve', dataDir: resolve(values['data-dir'] ?? join(homedir(), '.goldfish-oom-manager')) });
  const handle = await startServeServer({ backend, staticDir, token: process.env.GOLDFISH_TOKEN || newToken(), host, port: parsePort(values.port) });
  console.log(`Goldfish OOM Manager serving at ${handle.url}`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await handle.close();
    await backend.dispose();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`serve: ${(error as Error).message}`);
  process.exit(1);
});
