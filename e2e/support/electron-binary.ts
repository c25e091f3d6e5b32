import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Finds Electron's binary without require('electron'), which would try to download it. */
export function electronBinary(): { path?: string; reason?: string } {
  const pathFile = join('node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'the Electron binary is not installed (node_modules/electron/path.txt is missing; it cannot be downloaded on this machine)' };
  const path = join('node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(path)) return { reason: `the Electron binary ${path} is missing` };
  return { path };
}
