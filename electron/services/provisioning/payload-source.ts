import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PayloadSource } from '../../../contract/domains/provisioning.js';
import { apiError } from '../common/errors.js';
import type { PayloadResolveContext } from './provisioning-service.js';

export interface PayloadSourceOptions {
  /** Folder holding bundled payloads, one sub-folder per target (goldfish-arm, host). */
  bundledRoot: string;
  /** Builds the simulator's payload into a folder (the sim target needs no compiler). */
  buildSimPayload(outDir: string): Promise<unknown> | unknown;
  /** Scratch folder for built payloads. */
  workDir: string;
}

/** Turns the user's payload choice into a folder: a folder they picked, a bundled build, or the sim target. */
export function createPayloadResolver(options: PayloadSourceOptions) {
  return async (source: PayloadSource, context: PayloadResolveContext): Promise<{ dir: string; label: string }> => {
    let target: 'sim' | 'goldfish-arm' | 'host';
    if (source.kind === 'folder') {
      if (!existsSync(source.path)) throw apiError('payload-missing', `The payload folder ${source.path} does not exist`, 'Pick the folder that holds the built modules and programs.');
      return { dir: source.path, label: `folder ${source.path}` };
    }
    if (source.kind === 'bundled') target = source.target;
    else if (context.simulated) target = 'sim';
    else if (context.arch === 'arm' || context.arch === 'arm64') target = 'goldfish-arm';
    else if (context.arch === 'x86_64') target = 'host';
    else throw apiError('payload-unknown-arch', `No bundled payload for this device's architecture (${context.arch ?? 'unknown'})`, 'Build the modules for this kernel and pick their folder.');
    if (target === 'sim') {
      const dir = join(options.workDir, 'payload-sim');
      await options.buildSimPayload(dir);
      return { dir, label: 'sim target (built-in)' };
    }
    const dir = join(options.bundledRoot, target);
    if (!existsSync(dir)) {
      throw apiError('payload-not-built', `The bundled ${target} payload is not in this build (${dir})`, `Build it with \`npm run payload -- --target ${target} --out ${dir}\`, or pick a folder.`);
    }
    return { dir, label: `bundled ${target}` };
  };
}
