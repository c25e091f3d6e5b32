import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Backend } from '../api/backend.js';
import { isAuthorized, presentedToken, TOKEN_COOKIE } from './auth.js';
import { loadStaticFile } from './static-files.js';
import { bridgeSocket } from './ws-bridge.js';

export interface ServeOptions {
  backend: Backend;
  staticDir: string;
  token: string;
  host?: string;
  port?: number;
}

export interface ServeHandle {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  response.end(`${text}\n`);
}

/** Serves the built renderer and the API WebSocket; every request must carry the token. */
export async function startServeServer(options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });

  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!isAuthorized(request, url, options.token)) return refuse(response, 401, 'Unauthorized: open the URL with ?token= printed by `npm run serve`.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Method not allowed');
    const file = await loadStaticFile(options.staticDir, url.pathname);
    if (!file) return refuse(response, 404, 'Not found (was the renderer built? run `npm run build`)');
    const headers: Record<string, string> = { 'Content-Type': file.contentType, 'Cache-Control': 'no-store', ...SECURITY_HEADERS };
    if (url.searchParams.has('token')) headers['Set-Cookie'] = `${TOKEN_COOKIE}=${presentedToken(request, url)}; HttpOnly; SameSite=Strict; Path=/`;
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api' || !isAuthorized(request, url, options.token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => bridgeSocket(ws, options.backend));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/?token=${options.token}`,
    port,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
