import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBackend } from '../api/backend.js';
import { startServeServer, type ServeHandle } from './server.js';

const TOKEN = 'a'.repeat(48);

describe('serve mode over real sockets on 127.0.0.1', () => {
  let handle: ServeHandle;
  let base: string;

  beforeAll(async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'goldfish-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    const backend = await createBackend({ mode: 'serve', dataDir: staticDir });
    handle = await startServeServer({ backend, staticDir, token: TOKEN });
    base = `http://127.0.0.1:${handle.port}`;
  });
  afterAll(() => handle.close());

  it('prints a loopback URL carrying the token', () => {
    expect(handle.url).toBe(`${base}/?token=${TOKEN}`);
  });

  it('answers 401 without the token and 200 with it, with a CSP', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const ok = await fetch(handle.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('accepts the cookie set on first load for later asset requests', async () => {
    expect((await fetch(`${base}/assets/app.js`, { headers: { cookie: `goldfish_token=${TOKEN}` } })).status).toBe(200);
  });

  it('never serves files outside the static root', async () => {
    const response = await fetch(`${base}/..%2f..%2f..%2fetc%2fpasswd?token=${TOKEN}`);
    expect(await response.text()).not.toContain('root:');
  });

  it('refuses a WebSocket without the token', async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${handle.port}/api`);
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('answers requests over the WebSocket and refuses malformed ones', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${handle.port}/api?token=${TOKEN}`);
    await new Promise((resolve) => socket.once('open', resolve));
    const replies: unknown[] = [];
    const got = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        replies.push(JSON.parse(String(data)));
        if (replies.length === 3) resolve();
      }),
    );
    socket.send(JSON.stringify({ id: 1, method: 'getAppInfo', payload: {} }));
    socket.send('not json');
    socket.send(JSON.stringify({ id: 2, method: 'rm -rf', payload: {} }));
    await got;
    socket.close();
    expect(replies).toContainEqual(expect.objectContaining({ id: 1, result: expect.objectContaining({ ok: true }) }));
    expect(replies).toContainEqual(expect.objectContaining({ id: null, result: expect.objectContaining({ ok: false }) }));
    expect(replies).toContainEqual({ id: 2, result: { ok: false, error: { code: 'unknown-request', message: 'Unknown request "rm -rf"' } } });
  });
});
