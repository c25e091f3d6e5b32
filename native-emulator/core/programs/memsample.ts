import { PAGE_SIZE } from '../kernel/mm.js';
import { instant, type ProgramMain } from '../kernel/process.js';

/** One sample for the app's charts: a header line, then pid uid rss_kB comm per process. */
export const memsampleMain: ProgramMain = instant((p) => {
  const k = p.kernel;
  const totalKb = k.mem.managedPages * (PAGE_SIZE / 1024);
  const freeKb = Math.max(0, k.mem.freePages) * (PAGE_SIZE / 1024);
  const lines = [`T ${Math.floor(k.uptimeNs() / 1e6)} ${totalKb} ${freeKb}`];
  for (const t of k.tasks.values()) {
    if (t.zombie) continue;
    lines.push(`${t.pid} ${t.uid} ${t.mm ? t.mm.rss * (PAGE_SIZE / 1024) : 0} ${t.comm}`);
  }
  p.out(`${lines.join('\n')}\n`);
  return 0;
});
