/** Builds the simulator's payload into a folder (placeholder until native-emulator/node/sim-payload.ts is on main). */
export async function buildSimPayloadDir(outDir: string): Promise<void> {
  throw new Error(`the simulator payload builder is not in this build (wanted it in ${outDir})`);
}
