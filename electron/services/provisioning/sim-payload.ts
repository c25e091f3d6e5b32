import { buildSimPayload } from '../../../native-emulator/node/sim-payload.js';

/** Builds the simulator's payload (real ELF modules with .modinfo, marked ARM programs) into a folder. */
export async function buildSimPayloadDir(outDir: string): Promise<void> {
  await buildSimPayload(outDir);
}
