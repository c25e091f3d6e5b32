import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSimPayloadFiles } from '../core/payload/sim-payload.js';

/** Writes the sim target of every device file into outDir; returns the written paths. */
export async function buildSimPayload(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const file of buildSimPayloadFiles()) {
    const path = join(outDir, file.name);
    await writeFile(path, file.bytes);
    await chmod(path, file.mode);
    written.push(path);
  }
  return written;
}
