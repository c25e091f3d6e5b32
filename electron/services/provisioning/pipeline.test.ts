import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineRun } from '../../../contract/domains/provisioning.js';
import { apiError } from '../common/errors.js';
import { elfMachine, insmodOrder, modinfo, payloadMismatches, readPayload } from './payload.js';
import { startPipeline, type StepDef } from './pipeline.js';

const step = (id: string, run: StepDef<string[]>['run']): StepDef<string[]> => ({ id, label: id.toUpperCase(), run });

describe('pipeline engine', () => {
  it('runs steps in order, reports progress, skips and details', async () => {
    const events: PipelineRun[] = [];
    const handle = startPipeline<string[]>({
      serial: 'emulator-5554',
      state: [],
      emit: (run) => events.push(run),
      throttleMs: 0,
      steps: [
        step('a', async (ctx, log) => {
          log.push('a');
          ctx.progress('half', { done: 5, total: 10 });
          return { detail: 'did a' };
        }),
        step('b', async (_ctx, log) => {
          log.push('b');
          return { skipped: true, detail: 'nothing to do' };
        }),
      ],
    });
    expect(handle.run.steps.map((s) => s.state)).toEqual(['pending', 'pending']);
    const final = await handle.done;
    expect(final.state).toBe('succeeded');
    expect(final.steps.map((s) => [s.state, s.detail])).toEqual([['done', 'did a'], ['skipped', 'nothing to do']]);
    expect(events.some((e) => e.steps[0].bytes?.done === 5 && e.steps[0].state === 'running')).toBe(true);
    expect(events.at(-1)).toEqual(final);
  });

  it('names the failed step with the device message and a hint, and runs nothing after it', async () => {
    const ran: string[] = [];
    const handle = startPipeline<string[]>({
      serial: 's',
      state: ran,
      emit: () => undefined,
      steps: [
        { ...step('insmod', async () => { throw new Error("insmod: init_module 'oom.ko' failed (Unknown symbol in module)"); }), hint: 'read the kernel log' },
        step('after', async (_c, log) => void log.push('after')),
      ],
    });
    const final = await handle.done;
    expect(final.state).toBe('failed');
    expect(final.steps[0]).toMatchObject({ state: 'failed', error: { code: 'step-failed', step: 'insmod', hint: 'read the kernel log', message: expect.stringContaining('Unknown symbol') } });
    expect(final.steps[1].state).toBe('pending');
    expect(ran).toEqual([]);
  });

  it('keeps an ApiError from a step (code and hint) and adds the step', async () => {
    const final = await startPipeline({ serial: 's', state: null, emit: () => undefined, steps: [{ id: 'push', label: 'Push', run: async () => { throw apiError('push-failed', 'stopped at 1 MiB', 'run again'); } }] }).done;
    expect(final.steps[0].error).toEqual({ code: 'push-failed', message: 'stopped at 1 MiB', hint: 'run again', step: 'push' });
  });

  it('cancels the running step and marks the rest cancelled', async () => {
    const handle = startPipeline<string[]>({
      serial: 's',
      state: [],
      emit: () => undefined,
      steps: [
        step('slow', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))))),
        step('never', async () => undefined),
      ],
    });
    setTimeout(() => handle.cancel(), 20);
    const final = await handle.done;
    expect(final.state).toBe('cancelled');
    expect(final.steps.map((s) => s.state)).toEqual(['cancelled', 'pending']);
    expect(final.steps[0].error?.code).toBe('cancelled');
  });
});

/** A minimal 32-bit little-endian ELF header with e_machine, plus a .modinfo-like string table. */
function fakeElf(machine: number, modinfoText = ''): Buffer {
  const header = Buffer.alloc(52);
  header.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
  header.writeUInt16LE(1, 16);
  header.writeUInt16LE(machine, 18);
  return Buffer.concat([header, Buffer.from(`\0${modinfoText}`, 'latin1')]);
}

describe('payload inspection', () => {
  it('reads vermagic, depends and the architecture from module bytes', () => {
    const bytes = fakeElf(40, 'license=GPL\0depends=mylimit\0vermagic=3.4.67-gd9b4b0f SMP preempt mod_unload ARMv7\0name=oom\0');
    expect(elfMachine(bytes)).toBe('arm');
    expect(modinfo(bytes)).toEqual({ license: 'GPL', depends: 'mylimit', vermagic: '3.4.67-gd9b4b0f SMP preempt mod_unload ARMv7', name: 'oom' });
  });

  it('orders insmod by dependency whatever the listing order, and refuses cycles and missing deps', () => {
    expect(insmodOrder([{ name: 'oom', depends: ['mylimit'] }, { name: 'set_mm_limit', depends: ['mylimit'] }, { name: 'mylimit', depends: [] }])).toEqual(['mylimit', 'oom', 'set_mm_limit']);
    expect(() => insmodOrder([{ name: 'a', depends: ['b'] }, { name: 'b', depends: ['a'] }])).toThrow(/cycle/);
    expect(() => insmodOrder([{ name: 'oom', depends: ['mylimit'] }])).toThrow(/not in the payload/);
  });

  it('reports vermagic and architecture mismatches before anything is pushed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payload-'));
    const vermagic = 'vermagic=3.4.67-gd9b4b0f SMP preempt mod_unload ARMv7\0';
    writeFileSync(join(dir, 'mylimit.ko'), fakeElf(40, `depends=\0${vermagic}`));
    writeFileSync(join(dir, 'set_mm_limit.ko'), fakeElf(40, `depends=mylimit\0${vermagic}`));
    writeFileSync(join(dir, 'oom.ko'), fakeElf(62, `depends=mylimit\0vermagic=6.1.0-56-amd64 SMP mod_unload\0`));
    for (const program of ['oom', 'test', 'mmlimit', 'memsample']) writeFileSync(join(dir, program), fakeElf(40));
    const payload = readPayload(dir);
    expect(payload.modules.map((m) => [m.name, m.depends])).toEqual([['mylimit', []], ['set_mm_limit', ['mylimit']], ['oom', ['mylimit']]]);
    expect(payloadMismatches(payload, { kernel: '3.4.67-gd9b4b0f', arch: 'arm' })).toEqual([
      'oom.ko was built for kernel 6.1.0-56-amd64, the device runs 3.4.67-gd9b4b0f',
      'oom.ko is for x86_64, the device is arm',
    ]);
    expect(() => readPayload(join(dir, 'nope'))).toThrow(/cannot read/);
  });
});
