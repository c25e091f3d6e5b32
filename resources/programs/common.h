/*
 * common.h - shared by the device programs (oom, test, mmlimit, memsample)
 *
 * User names resolve like Android; the two syscalls fall back to the /proc
 * files of the modules when the kernel answers ENOSYS.
 * See docs/device-interface.md.
 */
#ifndef GOLDFISH_OOM_COMMON_H
#define GOLDFISH_OOM_COMMON_H

#include <stddef.h>
#include <sys/types.h>

#define __NR_set_mm_limit_	381
#define __NR_oom_check_		382

#define PROC_MM_LIMITS		"/proc/mm_limits"
#define PROC_MM_OOM_CHECK	"/proc/mm_oom_check"

/* Embeds "GOLDFISH-OOM-PROGRAM:<name>" in the binary, kept by the linker. */
#define GOLDFISH_OOM_PROGRAM(name)					\
	__attribute__((used)) static const char goldfish_oom_marker[] = \
		"GOLDFISH-OOM-PROGRAM:" name

/* How to reach the kernel: syscall, then /proc on ENOSYS (the default). */
enum mm_via { MM_VIA_AUTO, MM_VIA_SYSCALL, MM_VIA_PROC };

/* Takes a leading -s (syscall only) or -p (/proc only) at argv[*a]. */
enum mm_via mm_via_option(int argc, char **argv, int *a);

/*
 * root=0, system=1000, shell=2000, uN_aM = N*100000 + 10000 + M, a decimal
 * uid, else /etc/passwd.  Returns 0 and fills *uid, or -1.
 */
int resolve_user(const char *name, uid_t *uid);

/* The name resolve_user() would map back to @uid, into buf. */
void user_name(uid_t uid, char *buf, size_t len);

/*
 * "123", "64K", "100M", "1G" (binary multiples).  Returns 0 or -1.
 */
int parse_bytes(const char *s, unsigned long *bytes);

/* Syscall 381 (or /proc/mm_limits). Returns 0 or -1 with errno set. */
int mm_set_limit(uid_t uid, unsigned long mm_max, unsigned int grace,
		 enum mm_via via);

/* Syscall 382 (or /proc/mm_oom_check). Returns signals sent, or -1. */
long mm_oom_check(int interval, enum mm_via via);

/* Milliseconds since boot, from /proc/uptime; -1 on error. */
long long uptime_ms(void);

#endif
