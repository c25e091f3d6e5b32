/*
 * common.c - see common.h
 */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ANDROID_PER_USER_RANGE	100000
#define ANDROID_FIRST_APP_UID	10000

static int parse_uint(const char *s, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return (errno || *end) ? -1 : 0;
}

/* Static binaries cannot use NSS (getpwnam): read /etc/passwd ourselves. */
static int passwd_lookup(const char *name, uid_t want_uid, uid_t *uid,
			 char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/etc/passwd", "r");
	int ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *user = strtok(line, ":");
		char *pass = strtok(NULL, ":");
		char *id = strtok(NULL, ":");
		unsigned long v;

		if (!user || !pass || !id || parse_uint(id, &v))
			continue;
		if (name && strcmp(user, name) == 0) {
			*uid = (uid_t)v;
			ret = 0;
			break;
		}
		if (!name && (uid_t)v == want_uid) {
			snprintf(buf, len, "%s", user);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

int resolve_user(const char *name, uid_t *uid)
{
	unsigned long user, app, v;
	char tail;

	if (strcmp(name, "root") == 0) {
		*uid = 0;
		return 0;
	}
	if (strcmp(name, "system") == 0) {
		*uid = 1000;
		return 0;
	}
	if (strcmp(name, "shell") == 0) {
		*uid = 2000;
		return 0;
	}
	if (sscanf(name, "u%lu_a%lu%c", &user, &app, &tail) == 2 &&
	    app < ANDROID_PER_USER_RANGE - ANDROID_FIRST_APP_UID) {
		*uid = (uid_t)(user * ANDROID_PER_USER_RANGE +
			       ANDROID_FIRST_APP_UID + app);
		return 0;
	}
	if (parse_uint(name, &v) == 0) {
		*uid = (uid_t)v;
		return 0;
	}
	return passwd_lookup(name, 0, uid, NULL, 0);
}

void user_name(uid_t uid, char *buf, size_t len)
{
	unsigned long app = uid % ANDROID_PER_USER_RANGE;
	uid_t dummy;

	if (uid == 0)
		snprintf(buf, len, "root");
	else if (uid == 1000)
		snprintf(buf, len, "system");
	else if (uid == 2000)
		snprintf(buf, len, "shell");
	else if (app >= ANDROID_FIRST_APP_UID)
		snprintf(buf, len, "u%lu_a%lu",
			 (unsigned long)uid / ANDROID_PER_USER_RANGE,
			 app - ANDROID_FIRST_APP_UID);
	else if (passwd_lookup(NULL, uid, &dummy, buf, len))
		snprintf(buf, len, "%lu", (unsigned long)uid);
}

enum mm_via mm_via_option(int argc, char **argv, int *a)
{
	if (*a < argc && strcmp(argv[*a], "-s") == 0) {
		(*a)++;
		return MM_VIA_SYSCALL;
	}
	if (*a < argc && strcmp(argv[*a], "-p") == 0) {
		(*a)++;
		return MM_VIA_PROC;
	}
	return MM_VIA_AUTO;
}

int parse_bytes(const char *s, unsigned long *bytes)
{
	unsigned long long v, mult = 1;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	}
	if (*end || v > (unsigned long)-1 / mult)
		return -1;
	*bytes = (unsigned long)(v * mult);
	return 0;
}

/* Write all of @s to @path; returns 0 or -1 with errno from write(). */
static int write_proc(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -1;
	n = write(fd, s, len);
	if (n < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	close(fd);
	return 0;
}

int mm_set_limit(uid_t uid, unsigned long mm_max, unsigned int grace,
		 enum mm_via via)
{
	char line[96];

	if (via != MM_VIA_PROC) {
		long ret = syscall(__NR_set_mm_limit_, (long)uid, (long)mm_max,
				   (long)grace);

		if (ret == 0 || errno != ENOSYS || via == MM_VIA_SYSCALL)
			return ret ? -1 : 0;
	}
	snprintf(line, sizeof(line), "%lu %lu %u\n", (unsigned long)uid,
		 mm_max, grace);
	return write_proc(PROC_MM_LIMITS, line);
}

long mm_oom_check(int interval, enum mm_via via)
{
	char line[32];

	if (via != MM_VIA_PROC) {
		long ret = syscall(__NR_oom_check_, (long)interval);

		if (ret >= 0 || errno != ENOSYS || via == MM_VIA_SYSCALL)
			return ret;
	}
	snprintf(line, sizeof(line), "%d\n", interval);
	return write_proc(PROC_MM_OOM_CHECK, line);
}

long long uptime_ms(void)
{
	double up;
	FILE *f = fopen("/proc/uptime", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%lf", &up);
	fclose(f);
	return n == 1 ? (long long)(up * 1000.0) : -1;
}
