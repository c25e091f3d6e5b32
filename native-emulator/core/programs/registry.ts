import type { ProgramEntry } from '../kernel/exec.js';
import { shMain } from '../shell/sh.js';
import { memsampleMain } from './memsample.js';
import { mmlimitMain } from './mmlimit.js';
import { oomMain } from './oom.js';
import { suMain } from './su.js';
import { testMain } from './test.js';
import { toolboxMain } from './toolbox/index.js';

/** What each marker name runs, with the image size ps shows for it. */
export function createProgramRegistry(): Map<string, ProgramEntry> {
  return new Map<string, ProgramEntry>([
    ['sh', { main: shMain, image: { vmKiB: 3028, rssKiB: 420, anonKiB: 128 } }],
    ['toolbox', { main: toolboxMain, image: { vmKiB: 1180, rssKiB: 288, anonKiB: 64 } }],
    ['su', { main: suMain, image: { vmKiB: 3028, rssKiB: 420, anonKiB: 128 } }],
    ['oom', { main: oomMain, image: { vmKiB: 2384, rssKiB: 304, anonKiB: 64 } }],
    ['test', { main: testMain, image: { vmKiB: 2384, rssKiB: 304, anonKiB: 64 } }],
    ['mmlimit', { main: mmlimitMain }],
    ['memsample', { main: memsampleMain }],
  ]);
}
