// npm run payload -- --target host|goldfish-arm|sim --out DIR
//
// Builds what gets pushed to a device.  The C targets come from
// c-targets.ts; the simulator's (ELF modules with .modinfo, programs with
// their GOLDFISH-OOM-PROGRAM marker) from native-emulator/node/sim-payload.ts.

import { buildSimPayload } from '../../native-emulator/node/sim-payload.js';
import { buildCPayload, PayloadError, type CTarget } from './c-targets.js';

const TARGETS = ['host', 'goldfish-arm', 'sim'] as const;
type Target = (typeof TARGETS)[number];

function usage(msg?: string): never {
  if (msg) console.error(`payload: ${msg}`);
  console.error('usage: npm run payload -- --target host|goldfish-arm|sim --out DIR');
  process.exit(2);
}

function parseArgs(argv: string[]): { target: Target; out: string } {
  let target: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--target') target = value();
    else if (a.startsWith('--target=')) target = a.slice('--target='.length);
    else if (a === '--out') out = value();
    else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else usage(`unknown argument ${a}`);
  }
  if (!target || !(TARGETS as readonly string[]).includes(target)) usage('--target must be host, goldfish-arm or sim');
  if (!out) usage('--out DIR is required');
  return { target: target as Target, out };
}

async function main(): Promise<void> {
  const { target, out } = parseArgs(process.argv.slice(2));
  try {
    const files = target === 'sim' ? await buildSimPayload(out) : await buildCPayload(target as CTarget, out);
    for (const f of files) console.log(f);
  } catch (e) {
    if (e instanceof PayloadError) {
      console.error(`payload: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
