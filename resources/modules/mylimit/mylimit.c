// SPDX-License-Identifier: GPL-2.0
/*
 * mylimit.c - the per-uid memory limit table
 *
 * One array of struct mm_limit, kept sorted by uid so lookups are a binary
 * search and walks come out in the order docs/device-interface.md prints
 * them.  The array doubles when full; one mutex guards it, so callers of
 * mm_limit_for_each() may sleep in their callback.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../include/mm_limit.h"

#define MM_LIMIT_MIN_CAPACITY	8

static DEFINE_MUTEX(mm_limit_lock);
static struct mm_limit *mm_limits;	/* sorted by ascending uid */
static unsigned int mm_limit_nr;
static unsigned int mm_limit_capacity;

/*
 * Index of @uid in the table, or, when it is absent, the index at which it
 * would be inserted; *found says which.  Called with mm_limit_lock held.
 */
static unsigned int mm_limit_find(uid_t uid, bool *found)
{
	unsigned int lo = 0, hi = mm_limit_nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (mm_limits[mid].uid == uid) {
			*found = true;
			return mid;
		}
		if (mm_limits[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

/* Make room for one more entry.  Called with mm_limit_lock held. */
static int mm_limit_grow(void)
{
	unsigned int capacity;
	struct mm_limit *table;

	if (mm_limit_nr < mm_limit_capacity)
		return 0;

	capacity = mm_limit_capacity ? mm_limit_capacity * 2 :
				       MM_LIMIT_MIN_CAPACITY;
	table = krealloc(mm_limits, capacity * sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;

	mm_limits = table;
	mm_limit_capacity = capacity;
	return 0;
}

static int __mm_limit_remove(uid_t uid)
{
	unsigned int idx;
	bool found;

	idx = mm_limit_find(uid, &found);
	if (!found)
		return -ENOENT;

	memmove(&mm_limits[idx], &mm_limits[idx + 1],
		(mm_limit_nr - idx - 1) * sizeof(*mm_limits));
	mm_limit_nr--;
	return 0;
}

int mm_limit_set(uid_t uid, unsigned long mm_max,
		 unsigned int time_allow_exceed)
{
	struct mm_limit *limit;
	unsigned int idx;
	bool found;
	int ret = 0;

	if (uid == 0)
		return -EPERM;

	mutex_lock(&mm_limit_lock);
	if (!mm_max) {
		ret = __mm_limit_remove(uid);
		goto unlock;
	}

	idx = mm_limit_find(uid, &found);
	if (!found) {
		ret = mm_limit_grow();
		if (ret)
			goto unlock;
		memmove(&mm_limits[idx + 1], &mm_limits[idx],
			(mm_limit_nr - idx) * sizeof(*mm_limits));
		mm_limit_nr++;
	}

	limit = &mm_limits[idx];
	limit->uid = uid;
	limit->mm_max = mm_max;
	limit->time_allow_exceed = time_allow_exceed;
	limit->over = false;
	limit->breach_start = 0;
unlock:
	mutex_unlock(&mm_limit_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(mm_limit_set);

int mm_limit_remove(uid_t uid)
{
	int ret;

	mutex_lock(&mm_limit_lock);
	ret = __mm_limit_remove(uid);
	mutex_unlock(&mm_limit_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(mm_limit_remove);

int mm_limit_for_each(int (*fn)(struct mm_limit *limit, void *data),
		      void *data)
{
	unsigned int i;
	int ret = 0;

	mutex_lock(&mm_limit_lock);
	for (i = 0; i < mm_limit_nr; i++) {
		ret = fn(&mm_limits[i], data);
		if (ret)
			break;
	}
	mutex_unlock(&mm_limit_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(mm_limit_for_each);

static int __init mylimit_init(void)
{
	pr_info("module load!\n");
	return 0;
}

static void __exit mylimit_exit(void)
{
	kfree(mm_limits);
	mm_limits = NULL;
	mm_limit_nr = 0;
	mm_limit_capacity = 0;
	pr_info("module exit!\n");
}

module_init(mylimit_init);
module_exit(mylimit_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-uid memory limit table for the Goldfish OOM killer");
