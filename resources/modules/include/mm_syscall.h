/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_syscall.h - hang one module function on a spare syscall number
 *
 * Included by set_mm_limit.c (381) and oom.c (382); each module gets its own
 * static copy.  Three cases, chosen at compile time:
 *
 *  x86_64, >= 4.17, CONFIG_KPROBES (Debian 12's 6.1):
 *	Numbers 335..423 are unused and reach __x64_sys_ni_syscall(regs), and
 *	since 6.1.85 the dispatcher is a switch that never reads
 *	sys_call_table, so patching the table does nothing.  A kprobe on
 *	__x64_sys_ni_syscall reads the syscall's pt_regs from its first
 *	argument and, for our number, moves the ip to our entry, which then
 *	returns straight to the syscall path.  The post_handler is empty on
 *	purpose: a probe with one is never optimized into a jump, and an
 *	optimized probe would ignore the ip change (ENOSYS a second after
 *	insmod).  The entry takes a module reference in the probe, dropped by
 *	mm_syscall_done(), so rmmod cannot pull the code out from under a
 *	sleeping call.
 *
 *  ARM before 3.14 (the 3.4 goldfish kernel):
 *	381 and 382 were free; write our entry into sys_call_table, whose
 *	address comes from the sys_call_table_addr= module parameter (from
 *	System.map) or from kallsyms_lookup_name().  The old entry is put back
 *	at exit.  From 3.14 on ARM 381/382 are sched_getattr/renameat2.
 *
 *  anything else: no syscall, a pr_err, and the /proc file is the interface.
 */
#ifndef _MM_SYSCALL_H
#define _MM_SYSCALL_H

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/version.h>

/*
 * MM_SYSCALL_FORCE_TABLE and MM_SYSCALL_FORCE_NONE exist only to
 * compile-check the other branches on an x86_64 build host
 * (scripts/kernel-test/check-branches.sh); such modules are not for loading.
 */
#if defined(MM_SYSCALL_FORCE_NONE)
#elif defined(MM_SYSCALL_FORCE_TABLE) || \
	(defined(CONFIG_ARM) && LINUX_VERSION_CODE < KERNEL_VERSION(3, 14, 0))
#define MM_SYSCALL_TABLE	1
#include <linux/kallsyms.h>
#include <linux/moduleparam.h>
#elif defined(CONFIG_X86_64) && defined(CONFIG_KPROBES) && \
	LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
#define MM_SYSCALL_KPROBE	1
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#endif

#ifdef MM_SYSCALL_KPROBE
/* The entry gets the syscall's registers: arguments in di, si, dx. */
typedef long (*mm_syscall_fn_t)(const struct pt_regs *regs);
#else
/* The entry is an ordinary asmlinkage function taking the arguments. */
typedef void *mm_syscall_fn_t;
#endif

struct mm_syscall {
	unsigned int nr;
	mm_syscall_fn_t fn;
	bool installed;
#ifdef MM_SYSCALL_KPROBE
	struct kprobe kp;
#elif defined(MM_SYSCALL_TABLE)
	unsigned long *table;
	unsigned long saved;
#endif
};

#ifdef MM_SYSCALL_KPROBE

static int mm_syscall_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct mm_syscall *sc = container_of(kp, struct mm_syscall, kp);
	const struct pt_regs *uregs = (const struct pt_regs *)regs->di;

	if (uregs->orig_ax != sc->nr)
		return 0;
	if (!try_module_get(THIS_MODULE))
		return 0;		/* going away: plain ENOSYS */

	regs->ip = (unsigned long)sc->fn;
	return 1;			/* skip the probed instruction */
}

/* Never called; its presence keeps the probe from being optimized. */
static void mm_syscall_post(struct kprobe *kp, struct pt_regs *regs,
			    unsigned long flags)
{
}

static int mm_syscall_install(struct mm_syscall *sc)
{
	int ret;

	sc->kp.symbol_name = "__x64_sys_ni_syscall";
	sc->kp.pre_handler = mm_syscall_pre;
	sc->kp.post_handler = mm_syscall_post;
	ret = register_kprobe(&sc->kp);
	if (ret) {
		pr_err("%s: syscall %u: kprobe on __x64_sys_ni_syscall failed (%d); use /proc\n",
		       THIS_MODULE->name, sc->nr, ret);
		return ret;
	}
	sc->installed = true;
	return 0;
}

static void mm_syscall_remove(struct mm_syscall *sc)
{
	if (!sc->installed)
		return;
	unregister_kprobe(&sc->kp);
	sc->installed = false;
}

/* Called by the entry just before it returns. */
static inline void mm_syscall_done(void)
{
	module_put(THIS_MODULE);
}

#elif defined(MM_SYSCALL_TABLE)

static unsigned long sys_call_table_addr;
module_param(sys_call_table_addr, ulong, 0444);
MODULE_PARM_DESC(sys_call_table_addr,
		 "address of sys_call_table (grep sys_call_table System.map)");

static int mm_syscall_install(struct mm_syscall *sc)
{
	unsigned long *table = (unsigned long *)sys_call_table_addr;

#if defined(CONFIG_KALLSYMS) && LINUX_VERSION_CODE < KERNEL_VERSION(5, 7, 0)
	if (!table)		/* exported until 5.7 */
		table = (unsigned long *)kallsyms_lookup_name("sys_call_table");
#endif
	if (!table) {
		pr_err("%s: syscall %u: sys_call_table not found, load with sys_call_table_addr=0x...; use /proc\n",
		       THIS_MODULE->name, sc->nr);
		return -ENOENT;
	}

	sc->table = table;
	sc->saved = table[sc->nr];
	table[sc->nr] = (unsigned long)sc->fn;
	sc->installed = true;
	return 0;
}

static void mm_syscall_remove(struct mm_syscall *sc)
{
	if (!sc->installed)
		return;
	if (sc->table[sc->nr] == (unsigned long)sc->fn)
		sc->table[sc->nr] = sc->saved;
	sc->installed = false;
}

static inline void mm_syscall_done(void)
{
}

#else /* no way to add a syscall */

static int mm_syscall_install(struct mm_syscall *sc)
{
	pr_err("%s: syscall %u not supported on this kernel/arch; use /proc\n",
	       THIS_MODULE->name, sc->nr);
	return -ENOSYS;
}

static void mm_syscall_remove(struct mm_syscall *sc)
{
}

static inline void mm_syscall_done(void)
{
}

#endif

#endif /* _MM_SYSCALL_H */
