// SPDX-License-Identifier: GPL-2.0
/*
 * set_mm_limit.c - syscall 381 and /proc/mm_limits
 *
 *	long set_mm_limit(uid_t uid, unsigned long mm_max,
 *			  unsigned int time_allow_exceed);
 *
 * Sets, updates or (mm_max == 0) removes the RSS limit of @uid in the table
 * of mylimit.ko and prints the whole table.  Writing
 * "<uid> <mm_max> <time_allow_exceed>\n" to /proc/mm_limits does the same;
 * reading it lists the limits.  See docs/device-interface.md.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "../include/mm_limit.h"
#include "../include/mm_proc.h"
#include "../include/mm_syscall.h"

#define __NR_set_mm_limit	381
#define MM_LIMITS_PROC		"mm_limits"

static int mm_limit_print(struct mm_limit *limit, void *data)
{
	pr_info("uid=%u,mm_max=%lu,time_allow_exceed=%u\n",
		limit->uid, limit->mm_max, limit->time_allow_exceed);
	return 0;
}

static long do_set_mm_limit(uid_t uid, unsigned long mm_max,
			    unsigned int time_allow_exceed)
{
	int ret;

	if (!capable(CAP_SYS_RESOURCE))
		return -EPERM;

	ret = mm_limit_set(uid, mm_max, time_allow_exceed);
	if (ret)
		return ret;

	pr_info("Existing memory limitations:\n");
	mm_limit_for_each(mm_limit_print, NULL);
	return 0;
}

#ifdef MM_SYSCALL_KPROBE
static long sys_set_mm_limit(const struct pt_regs *regs)
{
	long ret = do_set_mm_limit((uid_t)regs->di, regs->si,
				   (unsigned int)regs->dx);

	mm_syscall_done();
	return ret;
}
#else
static asmlinkage long sys_set_mm_limit(uid_t uid, unsigned long mm_max,
					unsigned int time_allow_exceed)
{
	return do_set_mm_limit(uid, mm_max, time_allow_exceed);
}
#endif

static struct mm_syscall set_mm_limit_syscall = {
	.nr = __NR_set_mm_limit,
	.fn = (mm_syscall_fn_t)sys_set_mm_limit,
};

static int mm_limits_show_one(struct mm_limit *limit, void *data)
{
	struct seq_file *m = data;

	seq_printf(m, "uid=%u,mm_max=%lu,time_allow_exceed=%u\n",
		   limit->uid, limit->mm_max, limit->time_allow_exceed);
	return 0;
}

static int mm_limits_show(struct seq_file *m, void *v)
{
	return mm_limit_for_each(mm_limits_show_one, m);
}

static int mm_limits_open(struct inode *inode, struct file *file)
{
	return single_open(file, mm_limits_show, NULL);
}

/* "<uid> <mm_max_bytes> <time_allow_exceed_s>\n"; a missing grace is 0 */
static ssize_t mm_limits_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	unsigned int uid, time_allow_exceed = 0;
	unsigned long mm_max;
	char buf[64];
	long ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	if (sscanf(buf, "%u %lu %u", &uid, &mm_max, &time_allow_exceed) < 2)
		return -EINVAL;

	ret = do_set_mm_limit(uid, mm_max, time_allow_exceed);
	return ret ? ret : count;
}

MM_PROC_OPS(mm_limits_fops, mm_limits_open, mm_limits_write);

static int __init set_mm_limit_init(void)
{
	if (!proc_create(MM_LIMITS_PROC, 0644, NULL, &mm_limits_fops))
		return -ENOMEM;

	/* Without the syscall the module still works through /proc. */
	mm_syscall_install(&set_mm_limit_syscall);

	pr_info("module load!\n");
	return 0;
}

static void __exit set_mm_limit_exit(void)
{
	mm_syscall_remove(&set_mm_limit_syscall);
	remove_proc_entry(MM_LIMITS_PROC, NULL);
	pr_info("module exit!\n");
}

module_init(set_mm_limit_init);
module_exit(set_mm_limit_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("set_mm_limit syscall (381) and /proc/mm_limits");
