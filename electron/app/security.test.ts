import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eventNames, IPC_REQUEST_PREFIX, requestNames } from '../../contract/index.js';
import { CONTENT_SECURITY_POLICY } from '../serve/server.js';

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
  exposed: new Map<string, Record<string, unknown>>(),
  invoked: [] as Array<[string, unknown]>,
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => electron.handlers.set(channel, fn),
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, payload: unknown) => electron.invoked.push([channel, payload]),
    on: () => undefined,
    removeListener: () => undefined,
  },
}));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('Electron security checklist', () => {
  beforeEach(() => electron.handlers.clear());

  it('keeps the window isolated, sandboxed and without Node', () => {
    const window = readFileSync('electron/app/window.ts', 'utf8');
    for (const setting of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webSecurity: true', 'allowRunningInsecureContent: false', 'webviewTag: false']) {
      expect(window).toContain(setting);
    }
    expect(readFileSync('electron/main.ts', 'utf8')).toContain('app.enableSandbox()');
  });

  it('has a CSP with no eval, no inline scripts and no remote origins', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    for (const policy of [CONTENT_SECURITY_POLICY, meta ?? '']) {
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toMatch(/unsafe-eval|https?:|\*/);
      expect(/script-src[^;]*unsafe-inline/.test(policy)).toBe(false);
    }
  });

  it('never opens external URLs, loads remote content or turns protections off anywhere in the main process', () => {
    for (const file of sourceFiles('electron')) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/openExternal|loadURL\(\s*['"`]https?:|nodeIntegration: *true|contextIsolation: *false|sandbox: *false|webSecurity: *false|enableRemoteModule/);
    }
  });

  it('registers exactly the contract channels and refuses untrusted senders and invalid payloads', async () => {
    const { registerIpc } = await import('./ipc.js');
    const { createBackend } = await import('../api/backend.js');
    const backend = await createBackend({ mode: 'electron', dataDir: '/nonexistent' });
    let trusted = true;
    registerIpc(backend, () => trusted);
    expect([...electron.handlers.keys()].sort()).toEqual(requestNames.map((name) => IPC_REQUEST_PREFIX + name).sort());

    const getAppInfo = electron.handlers.get(IPC_REQUEST_PREFIX + 'getAppInfo')!;
    expect(await getAppInfo({}, {})).toMatchObject({ ok: true });
    expect(await getAppInfo({}, { injected: '<script>' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    trusted = false;
    expect(await getAppInfo({}, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(electron.handlers.has(IPC_REQUEST_PREFIX + 'openShell')).toBe(false);
  });

  it('exposes one object with one method per request and on(), nothing else', async () => {
    await import('../preload.js');
    const bridge = electron.exposed.get('goldfish')!;
    expect([...electron.exposed.keys()]).toEqual(['goldfish']);
    expect(Object.keys(bridge).sort()).toEqual([...requestNames, 'on'].sort());
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
    await (bridge.getAppInfo as (req: unknown) => Promise<unknown>)({});
    expect(electron.invoked).toEqual([[IPC_REQUEST_PREFIX + 'getAppInfo', {}]]);
    const on = bridge.on as (event: string, listener: () => void) => () => void;
    expect(() => on('not-an-event', () => undefined)).toThrow(/Unknown event/);
    expect(typeof on(eventNames[0], () => undefined)).toBe('function');
  });
});
