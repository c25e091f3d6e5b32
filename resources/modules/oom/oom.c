// SPDX-License-Identifier: GPL-2.0
/*
 * oom.c - a per-uid OOM killer, run one check at a time
 *
 *	long oom_check(int T);		syscall 382
 *	echo T > /proc/mm_oom_check	the same, where the syscall is missing
 *
 * A user daemon ("oom T") calls this every T seconds.  One check is the
 * pipeline of mm/oom_kill.c, per uid instead of system wide:
 *
 *   mm_oom_escalate()	    an earlier victim that survived its SIGTERM gets
 *			    SIGKILL;
 *   mm_oom_select_tasks()  walk for_each_process() under RCU and take a
 *			    reference on every task that may be killed;
 *   mm_oom_badness()	    outside RCU (mmput() may sleep): its RSS;
 *   mm_oom_check_limit()   for each limit of mylimit.ko, in ascending uid:
 *			    run the breach clock and, once the grace period
 *			    is over, mm_oom_kill_process() the largest tasks
 *			    of the uid until it is back under its limit.
 *
 * Never uid 0, never the caller's process.  See docs/device-interface.md.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/hrtimer.h>	/* ktime_get_boottime() before 3.17 */
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 11, 0)
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 5, 0)
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#endif

#include "../include/mm_limit.h"
#include "../include/mm_proc.h"
#include "../include/mm_syscall.h"

#define __NR_oom_check		382
#define MM_OOM_PROC		"mm_oom_check"
#define MM_OOM_SELECT_RETRIES	4

/* A task that may be killed, and what it costs. */
struct mm_oom_task {
	struct task_struct *task;	/* reference held */
	pid_t pid;
	uid_t uid;
	unsigned long rss;		/* bytes */
};

/* A task we sent SIGTERM to, kept until it is gone. */
struct mm_oom_victim {
	struct list_head list;
	struct pid *pid;		/* reference held */
	uid_t uid;
	bool escalated;			/* SIGKILL sent too */
};

/* The state of one check. */
struct mm_oom_control {
	struct mm_oom_task *tasks;	/* sorted: uid, rss desc, pid */
	unsigned int nr_tasks;
	unsigned int capacity;
	unsigned int cursor;		/* first task of the next uid */
	unsigned long now;		/* jiffies when the check began */
	int nr_signals;
	int nr_kills;
};

/* One check at a time; guards the victims and the counters. */
static DEFINE_MUTEX(mm_oom_lock);
static LIST_HEAD(mm_oom_victims);
static unsigned long mm_oom_checks;
static unsigned long mm_oom_kills;
static s64 mm_oom_last_check_ms;

static uid_t mm_oom_task_uid(struct task_struct *p)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 5, 0)
	return from_kuid_munged(&init_user_ns, task_uid(p));
#else
	return task_uid(p);
#endif
}

/*
 * SIGKILL every earlier victim that is still alive and not already dying,
 * and forget the victims that are gone.
 */
static void mm_oom_escalate(struct mm_oom_control *oc)
{
	struct mm_oom_victim *victim, *next;

	list_for_each_entry_safe(victim, next, &mm_oom_victims, list) {
		struct task_struct *p = get_pid_task(victim->pid, PIDTYPE_PID);

		if (!p || (p->flags & PF_EXITING)) {
			if (p)
				put_task_struct(p);
			list_del(&victim->list);
			put_pid(victim->pid);
			kfree(victim);
			continue;
		}

		if (!victim->escalated && !fatal_signal_pending(p) &&
		    !kill_pid(victim->pid, SIGKILL, 1)) {
			pr_info("Escalating to SIGKILL: uid=%u, pid=%d\n",
				victim->uid, pid_nr(victim->pid));
			victim->escalated = true;
			oc->nr_signals++;
		}
		put_task_struct(p);
	}
}

static bool mm_oom_is_victim(struct task_struct *p)
{
	struct mm_oom_victim *victim;

	list_for_each_entry(victim, &mm_oom_victims, list)
		if (pid_task(victim->pid, PIDTYPE_PID) == p)
			return true;
	return false;
}

/* Called under rcu_read_lock() with mm_oom_lock held. */
static bool mm_oom_unkillable_task(struct task_struct *p)
{
	if (p->flags & (PF_KTHREAD | PF_EXITING))
		return true;
	if (same_thread_group(p, current))
		return true;
	if (fatal_signal_pending(p))
		return true;
	if (mm_oom_task_uid(p) == 0)
		return true;
	return mm_oom_is_victim(p);
}

/*
 * Take a reference on every killable task, up to oc->capacity of them.
 * Returns how many there were, which may be more than were taken.
 */
static unsigned int mm_oom_collect(struct mm_oom_control *oc)
{
	struct task_struct *p;
	unsigned int nr = 0;

	rcu_read_lock();
	for_each_process(p) {
		if (mm_oom_unkillable_task(p))
			continue;
		if (nr < oc->capacity) {
			struct mm_oom_task *t = &oc->tasks[nr];

			get_task_struct(p);
			t->task = p;
			t->pid = task_pid_nr(p);
			t->uid = mm_oom_task_uid(p);
			t->rss = 0;
		}
		nr++;
	}
	rcu_read_unlock();
	return nr;
}

static void mm_oom_put_tasks(struct mm_oom_control *oc)
{
	unsigned int i;

	for (i = 0; i < oc->nr_tasks; i++)
		put_task_struct(oc->tasks[i].task);
	oc->nr_tasks = 0;
}

/*
 * The task array cannot be allocated under RCU: count, allocate with room
 * to spare, collect again, and retry if the system forked past the spare.
 */
static int mm_oom_select_tasks(struct mm_oom_control *oc)
{
	unsigned int nr, tries;

	for (tries = 0; ; tries++) {
		nr = mm_oom_collect(oc);
		oc->nr_tasks = min(nr, oc->capacity);
		if (nr <= oc->capacity || tries == MM_OOM_SELECT_RETRIES)
			return 0;

		mm_oom_put_tasks(oc);
		kfree(oc->tasks);
		oc->capacity = nr + nr / 4 + 16;
		oc->tasks = kcalloc(oc->capacity, sizeof(*oc->tasks),
				    GFP_KERNEL);
		if (!oc->tasks) {
			oc->capacity = 0;
			return -ENOMEM;
		}
	}
}

/* Resident bytes of @p; 0 when it has no mm any more. */
static unsigned long mm_oom_badness(struct task_struct *p)
{
	struct mm_struct *mm;
	unsigned long rss;

	mm = get_task_mm(p);
	if (!mm)
		return 0;
	rss = get_mm_rss(mm) << PAGE_SHIFT;
	mmput(mm);
	return rss;
}

/* By uid, then the largest first, ties to the lower pid. */
static int mm_oom_task_cmp(const void *a, const void *b)
{
	const struct mm_oom_task *x = a, *y = b;

	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	if (x->rss != y->rss)
		return x->rss > y->rss ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return 0;
}

static void mm_oom_evaluate_tasks(struct mm_oom_control *oc)
{
	unsigned int i;

	for (i = 0; i < oc->nr_tasks; i++)
		oc->tasks[i].rss = mm_oom_badness(oc->tasks[i].task);

	sort(oc->tasks, oc->nr_tasks, sizeof(*oc->tasks), mm_oom_task_cmp,
	     NULL);
}

/* SIGTERM @t and remember it for mm_oom_escalate() at the next check. */
static void mm_oom_kill_process(struct mm_oom_control *oc,
				struct mm_oom_task *t,
				const struct mm_limit *limit,
				unsigned long urss)
{
	struct mm_oom_victim *victim;
	struct pid *pid;

	pid = get_task_pid(t->task, PIDTYPE_PID);
	if (!pid)
		return;			/* already reaped */

	victim = kmalloc(sizeof(*victim), GFP_KERNEL);

	if (kill_pid(pid, SIGTERM, 1))
		goto out_put;

	oc->nr_signals++;
	oc->nr_kills++;
	pr_info("A process has been killed:\n");
	pr_info("uid=%u, uRSS=%lu, mm_max=%lu, pid=%d, pRSS=%lu\n",
		t->uid, urss, limit->mm_max, t->pid, t->rss);

	if (!victim) {
		pr_warn("oom: no memory to track pid=%d for SIGKILL escalation\n",
			t->pid);
		goto out_put;
	}
	victim->pid = pid;		/* the list keeps the reference */
	victim->uid = t->uid;
	victim->escalated = false;
	list_add_tail(&victim->list, &mm_oom_victims);
	return;

out_put:
	kfree(victim);
	put_pid(pid);
}

/*
 * One limit, with the table lock of mylimit held.  Limits come in
 * ascending uid, as do the sorted tasks, so oc->cursor only moves forward.
 */
static int mm_oom_check_limit(struct mm_limit *limit, void *data)
{
	struct mm_oom_control *oc = data;
	unsigned int first, end, i;
	unsigned long urss = 0;

	while (oc->cursor < oc->nr_tasks &&
	       oc->tasks[oc->cursor].uid < limit->uid)
		oc->cursor++;
	first = oc->cursor;
	while (oc->cursor < oc->nr_tasks &&
	       oc->tasks[oc->cursor].uid == limit->uid)
		urss += oc->tasks[oc->cursor++].rss;
	end = oc->cursor;

	if (urss <= limit->mm_max) {
		limit->over = false;
		return 0;
	}

	if (!limit->over) {
		limit->over = true;
		limit->breach_start = oc->now;
		if (limit->time_allow_exceed)
			pr_info("uid=%u exceeds mm_max=%lu: grace period of %us started\n",
				limit->uid, limit->mm_max,
				limit->time_allow_exceed);
	}

	if ((oc->now - limit->breach_start) / HZ < limit->time_allow_exceed)
		return 0;

	for (i = first; i < end && urss > limit->mm_max; i++) {
		mm_oom_kill_process(oc, &oc->tasks[i], limit, urss);
		urss -= oc->tasks[i].rss;
	}

	/* Back under the limit: a new breach gets a new grace period. */
	limit->over = false;
	return 0;
}

/* One check; returns the number of signals sent. */
static int mm_oom_check(void)
{
	struct mm_oom_control oc = {
		.now = jiffies,
	};
	int ret;

	mutex_lock(&mm_oom_lock);

	mm_oom_escalate(&oc);

	ret = mm_oom_select_tasks(&oc);
	if (ret)
		goto out_unlock;

	mm_oom_evaluate_tasks(&oc);
	mm_limit_for_each(mm_oom_check_limit, &oc);
	ret = oc.nr_signals;

	mm_oom_put_tasks(&oc);
out_unlock:
	kfree(oc.tasks);
	mm_oom_checks++;
	mm_oom_kills += oc.nr_kills;
	mm_oom_last_check_ms = div_s64(ktime_to_ns(ktime_get_boottime()),
				       NSEC_PER_MSEC);
	mutex_unlock(&mm_oom_lock);
	return ret;
}

static long do_oom_check(int interval)
{
	if (!capable(CAP_KILL))
		return -EPERM;
	if (interval < 0)
		return -EINVAL;
	return mm_oom_check();
}

#ifdef MM_SYSCALL_KPROBE
static long sys_oom_check(const struct pt_regs *regs)
{
	long ret = do_oom_check((int)regs->di);

	mm_syscall_done();
	return ret;
}
#else
static asmlinkage long sys_oom_check(int interval)
{
	return do_oom_check(interval);
}
#endif

static struct mm_syscall oom_check_syscall = {
	.nr = __NR_oom_check,
	.fn = (mm_syscall_fn_t)sys_oom_check,
};

static int mm_oom_show(struct seq_file *m, void *v)
{
	mutex_lock(&mm_oom_lock);
	seq_printf(m, "checks=%lu kills=%lu last_check_ms=%lld\n",
		   mm_oom_checks, mm_oom_kills, mm_oom_last_check_ms);
	mutex_unlock(&mm_oom_lock);
	return 0;
}

static int mm_oom_open(struct inode *inode, struct file *file)
{
	return single_open(file, mm_oom_show, NULL);
}

/* "<T>\n" runs one check */
static ssize_t mm_oom_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	int interval;
	long ret;

	ret = kstrtoint_from_user(ubuf, count, 10, &interval);
	if (ret)
		return ret;

	ret = do_oom_check(interval);
	return ret < 0 ? ret : count;
}

MM_PROC_OPS(mm_oom_fops, mm_oom_open, mm_oom_write);

static int __init oom_init(void)
{
	if (!proc_create(MM_OOM_PROC, 0644, NULL, &mm_oom_fops))
		return -ENOMEM;

	/* Without the syscall the module still works through /proc. */
	mm_syscall_install(&oom_check_syscall);

	pr_info("module load!\n");
	return 0;
}

static void __exit oom_exit(void)
{
	struct mm_oom_victim *victim, *next;

	mm_syscall_remove(&oom_check_syscall);
	remove_proc_entry(MM_OOM_PROC, NULL);

	list_for_each_entry_safe(victim, next, &mm_oom_victims, list) {
		list_del(&victim->list);
		put_pid(victim->pid);
		kfree(victim);
	}
	pr_info("module exit!\n");
}

module_init(oom_init);
module_exit(oom_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-uid OOM killer: syscall 382 and /proc/mm_oom_check");
