/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_proc.h - one seq_file /proc entry, as proc_ops (>= 5.6) or
 * file_operations (older kernels, the 3.4 goldfish one included).
 */
#ifndef _MM_PROC_H
#define _MM_PROC_H

#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/version.h>

/* MM_PROC_FORCE_FOPS: compile-check the old branch on a new kernel */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 6, 0) && !defined(MM_PROC_FORCE_FOPS)
#define MM_PROC_OPS(name, open_fn, write_fn)			\
static const struct proc_ops name = {				\
	.proc_open	= open_fn,				\
	.proc_read	= seq_read,				\
	.proc_lseek	= seq_lseek,				\
	.proc_release	= single_release,			\
	.proc_write	= write_fn,				\
}
#else
#define MM_PROC_OPS(name, open_fn, write_fn)			\
static const struct file_operations name = {			\
	.owner		= THIS_MODULE,				\
	.open		= open_fn,				\
	.read		= seq_read,				\
	.llseek		= seq_lseek,				\
	.release	= single_release,			\
	.write		= write_fn,				\
}
#endif

#endif /* _MM_PROC_H */
