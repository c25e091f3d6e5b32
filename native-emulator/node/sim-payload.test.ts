import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { programMarker } from '../core/kernel/exec.js';
import { parseElf, parseModinfo } from '../core/modules/elf.js';
import { buildSimPayload } from './sim-payload.js';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('buildSimPayload', () => {
  it('writes three ELF modules and four marked ARM executables', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-payload-'));
    const paths = await buildSimPayload(dir);
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(['mylimit.ko', 'set_mm_limit.ko', 'oom.ko', 'oom', 'test', 'mmlimit', 'memsample']);
    for (const name of ['mylimit', 'set_mm_limit', 'oom']) {
      const elf = parseElf(new Uint8Array(await readFile(join(dir, `${name}.ko`))));
      expect(elf.type).toBe(1);
      expect(parseModinfo(elf.section('.modinfo')).get('name')).toBe(name);
    }
    for (const name of ['oom', 'test', 'mmlimit', 'memsample']) {
      const bytes = new Uint8Array(await readFile(join(dir, name)));
      const elf = parseElf(bytes);
      expect([elf.bits, elf.type, elf.machine]).toEqual([32, 2, 40]);
      expect(programMarker(bytes)).toBe(name);
      expect((await stat(join(dir, name))).mode & 0o777).toBe(0o755);
    }
  });
});
