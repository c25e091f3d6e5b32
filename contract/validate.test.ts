import { describe, expect, it } from 'vitest';
import { ApiError, isRequestName, parseEvent, parseRequest, requestNames } from './index.js';

describe('contract validation', () => {
  it('knows its request names and nothing else', () => {
    expect(requestNames).toContain('getAppInfo');
    expect(isRequestName('getAppInfo')).toBe(true);
    expect(isRequestName('constructor')).toBe(false);
    expect(isRequestName('__proto__')).toBe(false);
    expect(isRequestName(42)).toBe(false);
  });

  it('accepts a valid payload and treats a missing one as empty', () => {
    expect(parseRequest('getAppInfo', {})).toEqual({});
    expect(parseRequest('getAppInfo', undefined)).toEqual({});
  });

  it('refuses unknown keys with a message naming them', () => {
    expect(() => parseRequest('getAppInfo', { evil: true })).toThrowError(ApiError);
    try {
      parseRequest('getAppInfo', { evil: true });
    } catch (error) {
      expect((error as ApiError).code).toBe('bad-request');
      expect((error as ApiError).message).toMatch(/getAppInfo.*evil/);
    }
  });

  it('validates events before they leave the backend', () => {
    expect(parseEvent('backendLog', { level: 'info', message: 'hi', at: 1 })).toEqual({ level: 'info', message: 'hi', at: 1 });
    expect(() => parseEvent('backendLog', { level: 'loud', message: 'hi', at: 1 })).toThrow(/backendLog.*level/);
  });

  it('bootSimulator: the OOM mode defaults to corrected, takes seed-faithful, refuses anything else', () => {
    expect(parseRequest('bootSimulator', {})).toEqual({ ramMiB: 1024, seed: 1, speed: 1, oomMode: 'corrected' });
    expect(parseRequest('bootSimulator', { oomMode: 'seed-faithful' })).toMatchObject({ oomMode: 'seed-faithful' });
    expect(() => parseRequest('bootSimulator', { oomMode: 'broken' })).toThrow(/bootSimulator.*oomMode/);
  });
});
