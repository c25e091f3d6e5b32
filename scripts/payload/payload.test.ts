import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSimPayloadFiles } from '../../native-emulator/core/payload/sim-payload.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

describe('npm run payload -- --target sim', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'payload-sim-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the simulator payload: the files of buildSimPayloadFiles, byte for byte, with their modes', async () => {
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const { stdout } = await run(tsx, [path.join(ROOT, 'scripts/payload/index.ts'), '--target', 'sim', '--out', out], { cwd: ROOT });
    const files = buildSimPayloadFiles();
    expect(stdout.trim().split('\n')).toEqual(files.map((f) => path.join(out, f.name)));
    for (const f of files) {
      const p = path.join(out, f.name);
      expect(new Uint8Array(readFileSync(p)), f.name).toEqual(f.bytes);
      expect(statSync(p).mode & 0o777, f.name).toBe(f.mode);
    }
  });
});
