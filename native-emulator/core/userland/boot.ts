import type { Kernel } from '../kernel/kernel.js';
import { Mm, PAGES_PER_MIB } from '../kernel/mm.js';
import { KERN_INFO, KERN_NOTICE, KERN_WARNING } from '../kernel/printk.js';
import type { Task } from '../kernel/task.js';
import { LINUX_BANNER } from '../kernel/version.js';
import { NS_PER_S } from '../time/units.js';
import { AID_APP, AID_ROOT, AID_SYSTEM } from './users.js';

/** How long the simulated boot took before the device shows up (uptime at 'device'). */
export const BOOT_DURATION_NS = 9 * NS_PER_S;

const KTHREADS = [
  'kthreadd', 'ksoftirqd/0', 'kworker/0:0', 'kworker/0:0H', 'kworker/u:0', 'kworker/u:0H', 'khelper', 'sync_supers',
  'bdi-default', 'kblockd', 'rpciod', 'kworker/0:1', 'kswapd0', 'fsnotify_mark', 'crypto', 'kworker/u:1', 'mtdblock0',
  'mtdblock1', 'mtdblock2', 'binder', 'deferwq', 'kworker/u:2', 'mmcqd/0', 'yaffs-bg-1', 'yaffs-bg-1', 'yaffs-bg-1',
  'kauditd',
];

interface NativeDaemon {
  cmd: string;
  uid: number;
  vmKiB: number;
  rssKiB: number;
  wchan: string;
}

const DAEMONS: readonly NativeDaemon[] = [
  { cmd: '/sbin/ueventd', uid: 0, vmKiB: 748, rssKiB: 440, wchan: 'poll_sched' },
  { cmd: '/system/bin/servicemanager', uid: 1000, vmKiB: 1060, rssKiB: 528, wchan: 'binder_thread_read' },
  { cmd: '/system/bin/vold', uid: 0, vmKiB: 4408, rssKiB: 820, wchan: 'hrtimer_nanosleep' },
  { cmd: '/system/bin/netd', uid: 0, vmKiB: 8448, rssKiB: 1108, wchan: 'hrtimer_nanosleep' },
  { cmd: '/system/bin/debuggerd', uid: 0, vmKiB: 3096, rssKiB: 588, wchan: 'poll_sched' },
  { cmd: '/system/bin/rild', uid: 1001, vmKiB: 5404, rssKiB: 676, wchan: 'hrtimer_nanosleep' },
  { cmd: '/system/bin/surfaceflinger', uid: 1000, vmKiB: 38580, rssKiB: 3616, wchan: 'binder_thread_read' },
  { cmd: 'zygote', uid: 0, vmKiB: 481468, rssKiB: 35720, wchan: 'poll_sched' },
  { cmd: '/system/bin/drmserver', uid: 1019, vmKiB: 9640, rssKiB: 1228, wchan: 'binder_thread_read' },
  { cmd: '/system/bin/mediaserver', uid: 1013, vmKiB: 20508, rssKiB: 2828, wchan: 'binder_thread_read' },
  { cmd: '/system/bin/installd', uid: 0, vmKiB: 916, rssKiB: 384, wchan: 'unix_stream_recvmsg' },
  { cmd: '/system/bin/keystore', uid: 1017, vmKiB: 1776, rssKiB: 644, wchan: 'binder_thread_read' },
  { cmd: '/system/bin/qemud', uid: 0, vmKiB: 836, rssKiB: 296, wchan: 'SyS_epoll_wait' },
  { cmd: '/system/bin/sh', uid: 2000, vmKiB: 1016, rssKiB: 392, wchan: 'n_tty_read' },
  { cmd: '/sbin/adbd', uid: 0, vmKiB: 4496, rssKiB: 240, wchan: 'SyS_epoll_wait' },
  { cmd: '/sbin/healthd', uid: 0, vmKiB: 1696, rssKiB: 212, wchan: 'SyS_epoll_wait' },
];

export interface AppSpec {
  name: string;
  uid: number;
  rssKiB: number;
  oomScoreAdj: number;
}

/** Zygote's children at the end of boot; app uids u0_aNN = 10000 + NN. Their RSS drifts once a second. */
const APPS: readonly AppSpec[] = [
  { name: 'system_server', uid: AID_SYSTEM, rssKiB: 52400, oomScoreAdj: -941 },
  { name: 'com.android.systemui', uid: AID_APP + 7, rssKiB: 36120, oomScoreAdj: -705 },
  { name: 'com.android.inputmethod.latin', uid: AID_APP + 36, rssKiB: 21740, oomScoreAdj: 58 },
  { name: 'com.android.phone', uid: 1001, rssKiB: 24980, oomScoreAdj: -705 },
  { name: 'com.android.launcher', uid: AID_APP + 17, rssKiB: 30450, oomScoreAdj: 0 },
  { name: 'android.process.acore', uid: AID_APP + 2, rssKiB: 22310, oomScoreAdj: 529 },
  { name: 'android.process.media', uid: AID_APP + 5, rssKiB: 18740, oomScoreAdj: 529 },
  { name: 'com.android.email', uid: AID_APP + 32, rssKiB: 19650, oomScoreAdj: 882 },
  { name: 'com.android.calendar', uid: AID_APP + 20, rssKiB: 17420, oomScoreAdj: 882 },
  { name: 'com.android.deskclock', uid: AID_APP + 25, rssKiB: 16210, oomScoreAdj: 882 },
];

const BOOT_LOG: readonly [number, number, string][] = [
  [0, KERN_NOTICE, 'Booting Linux on physical CPU 0'],
  [0, KERN_NOTICE, LINUX_BANNER],
  [0, KERN_WARNING, 'CPU: ARMv7 Processor [410fc080] revision 0 (ARMv7), cr=10c5387d'],
  [0, KERN_WARNING, 'CPU: PIPT / VIPT nonaliasing data cache, VIPT nonaliasing instruction cache'],
  [0, KERN_WARNING, 'Machine: Goldfish'],
  [0, KERN_WARNING, 'Memory policy: ECC disabled, Data cache writeback'],
  [0, KERN_NOTICE, 'Kernel command line: qemu.gles=0 qemu=1 console=ttyS0 android.qemud=ttyS1 android.checkjni=1 ndns=1'],
  [0, KERN_INFO, 'PID hash table entries: 4096 (order: 2, 16384 bytes)'],
  [0, KERN_INFO, 'Dentry cache hash table entries: 131072 (order: 7, 524288 bytes)'],
  [0, KERN_INFO, 'Inode-cache hash table entries: 65536 (order: 6, 262144 bytes)'],
  [0, KERN_INFO, 'Preemptible hierarchical RCU implementation.'],
  [0, KERN_INFO, 'NR_IRQS:256'],
  [0, KERN_INFO, 'sched_clock: 32 bits at 100 Hz, resolution 10000000ns, wraps every 4294967286ms'],
  [0, KERN_INFO, 'Console: colour dummy device 80x30'],
  [3000, KERN_INFO, 'Calibrating delay loop... 531.66 BogoMIPS (lpj=2658304)'],
  [60000, KERN_INFO, 'pid_max: default: 32768 minimum: 301'],
  [60000, KERN_INFO, 'Mount-cache hash table entries: 512'],
  [70000, KERN_INFO, 'CPU: Testing write buffer coherency: ok'],
  [80000, KERN_INFO, 'Setting up static identity map for 0xc03b3f10 - 0xc03b3f68'],
  [90000, KERN_INFO, 'NET: Registered protocol family 16'],
  [120000, KERN_INFO, 'bio: create slab <bio-0> at 0'],
  [130000, KERN_INFO, 'Switching to clocksource timer0'],
  [140000, KERN_INFO, 'NET: Registered protocol family 2'],
  [150000, KERN_INFO, 'goldfish_new_pdev goldfish_interrupt_controller at ff000000 irq -1'],
  [160000, KERN_INFO, 'ashmem: initialized'],
  [170000, KERN_INFO, 'logger: created 256K log \'log_main\''],
  [180000, KERN_INFO, 'Goldfish audio: initialized'],
  [190000, KERN_INFO, 'goldfish_fb_probe: base 0xff005000, irq 4'],
  [200000, KERN_INFO, 'ashmem: initialized'],
  [220000, KERN_INFO, 'mtd: 0: system: 0x0 - 0xc800000'],
  [300000, KERN_INFO, 'yaffs: dev is 32505856 name is "mtdblock0" rw'],
  [320000, KERN_INFO, 'Freeing init memory: 144K'],
  [400000, KERN_INFO, 'init: cannot open \'/initlogo.rle\''],
  [900000, KERN_INFO, 'init: property \'ro.kernel.qemu\' doesn\'t exist'],
  [1200000, KERN_INFO, 'yaffs: dev is 32505857 name is "mtdblock1" rw'],
  [1300000, KERN_INFO, 'yaffs: dev is 32505858 name is "mtdblock2" rw'],
  [2100000, KERN_INFO, 'eth0: link up'],
  [3400000, KERN_INFO, 'init: untracked pid 76 exited'],
  [6500000, KERN_INFO, 'binder: 183:200 transaction failed 29189, size 0-0'],
  [8200000, KERN_INFO, 'healthd: battery l=50 v=0 t=0.0 h=2 st=2 chg=a'],
];

export interface BootedUserland {
  init: Task;
  adbd: Task;
  zygote: Task;
  apps: Task[];
}

const pages = (kib: number) => Math.ceil(kib / 4);

/** Brings up the kernel threads, init and its services, zygote and the first apps; logs the boot. */
export function bootUserland(k: Kernel, ramMiB: number): BootedUserland {
  for (const [us, level, text] of BOOT_LOG) {
    k.printk.log(level, text, us * 1000);
    if (text.startsWith('Memory policy')) k.printk.log(KERN_INFO, `Memory: ${ramMiB}MB = ${ramMiB}MB total`, 0);
  }

  const init = k.createTask({ pid: 1, parent: null, uid: AID_ROOT, gid: AID_ROOT, comm: 'init', cmdline: ['/init'], mm: new Mm({ totalVm: 189, anonRss: 40, fileRss: 111 }) });
  init.wchan = 'SyS_epoll_wait';
  init.oomScoreAdj = -941;
  k.init = init;
  let kthreadd: Task | undefined;
  for (const comm of KTHREADS) {
    const t = k.createTask({ parent: kthreadd ?? null, uid: 0, gid: 0, comm, cmdline: [], mm: null, kthread: true });
    t.wchan = comm === 'kthreadd' ? 'kthreadd' : comm.startsWith('kworker') ? 'worker_thread' : comm.startsWith('ksoftirqd') ? 'run_ksoftirqd' : comm === 'kswapd0' ? 'kswapd' : 'rescuer_thread';
    kthreadd ??= t;
  }
  k.kthreadd = kthreadd!;

  const started: Record<string, Task> = {};
  for (const d of DAEMONS) {
    const name = d.cmd.slice(d.cmd.lastIndexOf('/') + 1);
    const t = k.createTask({
      parent: init,
      uid: d.uid,
      gid: d.uid,
      comm: name === 'zygote' ? 'main' : name,
      cmdline: [d.cmd],
      mm: new Mm({ totalVm: pages(d.vmKiB), anonRss: pages(d.rssKiB / 3), fileRss: pages(d.rssKiB) - pages(d.rssKiB / 3) }),
    });
    t.wchan = d.wchan;
    t.oomScoreAdj = -941;
    started[name] = t;
  }
  const zygote = started['zygote']!;
  const apps = APPS.map((a) => launchApp(k, zygote, a));
  return { init, adbd: started['adbd']!, zygote, apps };
}

/** A zygote fork specialised to an app: shares zygote's address space size, grows its own heap. */
export function launchApp(k: Kernel, zygote: Task, spec: AppSpec): Task {
  const vm = zygote.mm!.totalVm + pages(spec.rssKiB * 2);
  const rss = pages(spec.rssKiB);
  const anon = Math.floor(rss * 0.6);
  const t = k.createTask({ parent: zygote, uid: spec.uid, gid: spec.uid, comm: spec.name.slice(-15), cmdline: [spec.name], mm: new Mm({ totalVm: vm, anonRss: anon, fileRss: rss - anon }) });
  t.wchan = 'SyS_epoll_wait';
  t.oomScoreAdj = spec.oomScoreAdj;
  t.drift = { minPages: Math.floor(anon * 0.8), maxPages: Math.ceil(anon * 1.25) };
  return t;
}

/** Once a second every app's heap grows or shrinks a little (a seeded walk within ±20 %). */
export function startRssDrift(k: Kernel): void {
  k.timers.every(NS_PER_S, () => {
    for (const t of k.tasks.values()) {
      const d = t.drift;
      if (!d || !t.mm) continue;
      const step = k.rng.int(-PAGES_PER_MIB / 4, PAGES_PER_MIB / 4);
      const target = Math.min(d.maxPages, Math.max(d.minPages, t.mm.anonRss + step));
      k.adjustRss(t, target - t.mm.anonRss);
    }
  });
}

/** healthd's periodic battery line, as in the seed's dmesg. */
export function startHealthd(k: Kernel): void {
  k.timers.every(60 * NS_PER_S, () => k.log(KERN_INFO, 'healthd: battery l=50 v=0 t=0.0 h=2 st=2 chg=a'));
}
