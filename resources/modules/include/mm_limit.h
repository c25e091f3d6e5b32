/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_limit.h - the per-uid memory limit table kept by mylimit.ko
 *
 * mylimit owns one table of limits, sorted by ascending uid and guarded by a
 * mutex.  set_mm_limit.ko changes it through mm_limit_set() and
 * mm_limit_remove(); oom.ko walks it with mm_limit_for_each() and keeps its
 * breach clocks in the entries.  No raw globals are exported.
 *
 * The rules are those of docs/device-interface.md: uid 0 cannot be limited,
 * an mm_max of 0 removes the uid's limit.
 */
#ifndef _MM_LIMIT_H
#define _MM_LIMIT_H

#include <linux/types.h>

struct mm_limit {
	uid_t uid;
	unsigned long mm_max;			/* bytes of RSS allowed */
	unsigned int time_allow_exceed;		/* grace, in seconds */

	/*
	 * Breach clock, owned by oom.ko and only touched under the table
	 * lock: @over is set while the uid's RSS is above @mm_max and
	 * @breach_start is the jiffies value when that was first seen.
	 * mm_limit_set() stops the clock.
	 */
	bool over;
	unsigned long breach_start;
};

/*
 * mm_limit_set - insert or update the limit of @uid
 *
 * Returns 0, -EPERM for uid 0, -ENOENT when @mm_max is 0 and @uid had no
 * limit (an @mm_max of 0 removes the limit), or -ENOMEM.
 */
int mm_limit_set(uid_t uid, unsigned long mm_max,
		 unsigned int time_allow_exceed);

/* mm_limit_remove - drop the limit of @uid; -ENOENT if it had none */
int mm_limit_remove(uid_t uid);

/*
 * mm_limit_for_each - call @fn on every limit, in ascending uid order
 *
 * @fn runs with the table mutex held: it may sleep and may update the breach
 * clock of the entry it is given, but must not call back into mm_limit_*().
 * A non-zero return from @fn stops the walk and is returned.
 */
int mm_limit_for_each(int (*fn)(struct mm_limit *limit, void *data),
		      void *data);

#endif /* _MM_LIMIT_H */
