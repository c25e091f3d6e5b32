import type { Kernel } from './kernel.js';
import { KERN_ERR, KERN_INFO, KERN_WARNING } from './printk.js';
import { SIGKILL } from './signals.js';
import type { Task } from './task.js';

/** Linux 3.4 mm/oom_kill.c: badness, select_bad_process, dump_header, oom_kill_process. */

export const OOM_SCORE_ADJ_MIN = -1000;
const GFP_HIGHUSER_MOVABLE = 0x201da;

const unkillable = (k: Kernel, p: Task): boolean => p === k.init || p.kthread;

/** oom_badness(): 0 means ineligible; otherwise 1..1000. */
export function oomBadness(k: Kernel, p: Task, totalPages: number): number {
  if (unkillable(k, p) || !p.mm || p.zombie) return 0;
  if (p.oomScoreAdj === OOM_SCORE_ADJ_MIN) return 0;
  let points = p.mm.rss + p.mm.ptes;
  points = Math.floor((points * 1000) / Math.max(1, totalPages));
  if (p.uid === 0) points -= 30;
  points += p.oomScoreAdj;
  if (points <= 0) return 1;
  return Math.min(points, 1000);
}

/** oom_score_adj → the legacy oom_adj that dump_tasks prints. */
export const oomAdjOf = (scoreAdj: number): number =>
  scoreAdj === 1000 ? 15 : scoreAdj === OOM_SCORE_ADJ_MIN ? -17 : Math.trunc((scoreAdj * 17) / 1000);

function selectBadProcess(k: Kernel, totalPages: number): { task: Task; points: number } | 'wait' | null {
  let chosen: Task | null = null;
  let chosenPoints = 0;
  for (const p of k.tasks.values()) {
    if (unkillable(k, p) || !p.mm) continue;
    if (p.fatalSignalPending && !p.zombie) return 'wait';
    const points = oomBadness(k, p, totalPages);
    if (points > chosenPoints) {
      chosen = p;
      chosenPoints = points;
    }
  }
  return chosen ? { task: chosen, points: chosenPoints } : null;
}

function dumpHeader(k: Kernel, current: Task): void {
  const m = k.mem;
  const lines: [number, string][] = [
    [KERN_WARNING, `${current.comm} invoked oom-killer: gfp_mask=0x${GFP_HIGHUSER_MOVABLE.toString(16)}, order=0, oom_adj=${oomAdjOf(current.oomScoreAdj)}, oom_score_adj=${current.oomScoreAdj}`],
    [KERN_WARNING, '[<c0013f5c>] (unwind_backtrace+0x0/0xf8) from [<c00a1f7c>] (dump_header.isra.12+0x64/0x160)'],
    [KERN_WARNING, '[<c00a1f7c>] (dump_header.isra.12+0x64/0x160) from [<c00a2370>] (oom_kill_process.constprop.15+0x40/0x238)'],
    [KERN_WARNING, '[<c00a2370>] (oom_kill_process.constprop.15+0x40/0x238) from [<c00a28b8>] (out_of_memory+0x2a4/0x354)'],
    [KERN_WARNING, '[<c00a28b8>] (out_of_memory+0x2a4/0x354) from [<c00a6034>] (__alloc_pages_nodemask+0x6a0/0x7a4)'],
    [KERN_WARNING, '[<c00a6034>] (__alloc_pages_nodemask+0x6a0/0x7a4) from [<c00bf7a8>] (handle_pte_fault+0x484/0x6a0)'],
    [KERN_WARNING, '[<c00bf7a8>] (handle_pte_fault+0x484/0x6a0) from [<c00c0228>] (handle_mm_fault+0x9c/0xbc)'],
    [KERN_WARNING, '[<c00c0228>] (handle_mm_fault+0x9c/0xbc) from [<c00183a0>] (do_page_fault+0x174/0x2e4)'],
    [KERN_WARNING, '[<c00183a0>] (do_page_fault+0x174/0x2e4) from [<c00083e0>] (do_DataAbort+0x34/0x98)'],
    [KERN_WARNING, '[<c00083e0>] (do_DataAbort+0x34/0x98) from [<c000d8b4>] (__dabt_usr+0x34/0x40)'],
    [KERN_WARNING, 'Mem-info:'],
    [KERN_WARNING, 'Normal per-cpu:'],
    [KERN_WARNING, 'CPU    0: hi:  186, btch:  31 usd:   0'],
    [KERN_WARNING, `active_anon:${m.taskPages} inactive_anon:0 isolated_anon:0`],
    [KERN_WARNING, ` active_file:${Math.floor(m.cachedPages / 2)} inactive_file:${Math.ceil(m.cachedPages / 2)} isolated_file:0`],
    [KERN_WARNING, ` unevictable:0 dirty:0 writeback:0 unstable:0`],
    [KERN_WARNING, ` free:${Math.max(0, m.freePages)} slab_reclaimable:${Math.floor(m.slabPages / 3)} slab_unreclaimable:${m.slabPages - Math.floor(m.slabPages / 3)}`],
    [KERN_WARNING, ` mapped:${m.cachedPages} shmem:0 pagetables:0 bounce:0`],
    [KERN_WARNING, `${m.totalPages} pages of RAM`],
    [KERN_WARNING, `${Math.max(0, m.freePages)} free pages`],
    [KERN_WARNING, `${m.reservedPages} reserved pages`],
    [KERN_WARNING, `${m.slabPages} slab pages`],
    [KERN_WARNING, `${m.cachedPages} pages shared`],
    [KERN_WARNING, '0 pages swap cached'],
    [KERN_INFO, '[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name'],
  ];
  for (const p of k.tasks.values()) {
    if (unkillable(k, p) || !p.mm) continue;
    lines.push([KERN_INFO, `[${pad(p.pid, 5)}] ${pad(p.uid, 5)} ${pad(p.pid, 5)} ${pad(p.mm.totalVm, 8)} ${pad(p.mm.rss, 8)} ${pad(0, 3)}     ${pad(oomAdjOf(p.oomScoreAdj), 3)}         ${pad(p.oomScoreAdj, 5)} ${p.comm}`]);
  }
  for (const [level, text] of lines) k.log(level, text);
}

const pad = (v: number, w: number) => String(v).padStart(w);

/**
 * out_of_memory() for a page fault of current. Kills one task (preferring a child it would sacrifice) and
 * returns true, or false when nothing is eligible.
 */
export function outOfMemory(k: Kernel, current: Task): boolean {
  const totalPages = k.mem.managedPages;
  const selected = selectBadProcess(k, totalPages);
  if (selected === 'wait') return true;
  if (!selected) {
    k.log(KERN_ERR, 'Out of memory and no killable processes...');
    return false;
  }
  let { task: victim, points } = selected;
  dumpHeader(k, current);
  k.log(KERN_ERR, `Out of memory: Kill process ${victim.pid} (${victim.comm}) score ${points} or sacrifice child`);
  for (const child of victim.children) {
    if (!child.mm || child.zombie) continue;
    const childPoints = oomBadness(k, child, totalPages);
    if (childPoints > points) {
      victim = child;
      points = childPoints;
    }
  }
  const mm = victim.mm!;
  k.log(KERN_ERR, `Killed process ${victim.pid} (${victim.comm}) total-vm:${mm.totalVm * 4}kB, anon-rss:${mm.anonRss * 4}kB, file-rss:${mm.fileRss * 4}kB`);
  k.globalOomKills++;
  k.deliver(victim, SIGKILL);
  return true;
}
