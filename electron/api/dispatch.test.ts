import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/index.js';
import { createBackend } from './backend.js';
import { dispatch } from './dispatch.js';

describe('dispatch', async () => {
  const backend = await createBackend({ mode: 'serve', dataDir: '/nonexistent' });

  it('runs a valid request', async () => {
    const reply = await dispatch(backend.handlers, 'getAppInfo', {});
    expect(reply.ok).toBe(true);
    expect(reply.ok && (reply.value as { name: string }).name).toBe('Goldfish OOM Manager');
  });

  it('refuses an unlisted channel without calling anything', async () => {
    expect(await dispatch(backend.handlers, 'toString', {})).toEqual({ ok: false, error: { code: 'unknown-request', message: 'Unknown request "toString"' } });
  });

  it('refuses an invalid payload before the handler runs', async () => {
    let called = false;
    const handlers = { ...backend.handlers, getAppInfo: async () => ((called = true), backend.handlers.getAppInfo({})) };
    const reply = await dispatch(handlers, 'getAppInfo', { unexpected: 1 });
    expect(reply.ok).toBe(false);
    expect(called).toBe(false);
  });

  it('turns a thrown ApiError into data with its hint', async () => {
    const handlers = { ...backend.handlers, getAppInfo: async () => { throw new ApiError({ code: 'adb-missing', message: 'no adb', hint: 'apt-get install adb' }); } };
    expect(await dispatch(handlers, 'getAppInfo', {})).toEqual({ ok: false, error: { code: 'adb-missing', message: 'no adb', hint: 'apt-get install adb', step: undefined } });
  });
});
