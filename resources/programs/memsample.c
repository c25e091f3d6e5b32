/*
 * memsample - one sample of memory use
 *
 *   T <uptime_ms> <MemTotal_kB> <MemFree_kB>
 *   <pid> <uid> <rss_kB> <comm>		one line per process
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

GOLDFISH_OOM_PROGRAM("memsample");

static long meminfo_kb(const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, len) == 0 && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/* Real uid and VmRSS (0 for kernel threads) from /proc/<pid>/status. */
static int read_status(const char *pid, unsigned long *uid,
		       unsigned long *rss_kb, char *comm, size_t len)
{
	char path[300], line[256];
	FILE *f;
	int have_uid = 0;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	*rss_kb = 0;
	snprintf(comm, len, "?");
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Name:", 5) == 0) {
			char *s = line + 5;
			size_t n;

			while (*s == ' ' || *s == '\t')
				s++;
			n = strcspn(s, "\n");
			if (n >= len)
				n = len - 1;
			memcpy(comm, s, n);
			comm[n] = '\0';
		} else if (strncmp(line, "Uid:", 4) == 0) {
			*uid = strtoul(line + 4, NULL, 10);
			have_uid = 1;
		} else if (strncmp(line, "VmRSS:", 6) == 0) {
			*rss_kb = strtoul(line + 6, NULL, 10);
		}
	}
	fclose(f);
	return have_uid ? 0 : -1;
}

int main(void)
{
	struct dirent *de;
	DIR *proc;

	printf("T %lld %ld %ld\n", uptime_ms(), meminfo_kb("MemTotal"),
	       meminfo_kb("MemFree"));

	proc = opendir("/proc");
	if (!proc) {
		perror("/proc");
		return 1;
	}
	while ((de = readdir(proc))) {
		unsigned long uid, rss_kb;
		char comm[64];

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (read_status(de->d_name, &uid, &rss_kb, comm, sizeof(comm)))
			continue;	/* gone meanwhile */
		printf("%s %lu %lu %s\n", de->d_name, uid, rss_kb, comm);
	}
	closedir(proc);
	return 0;
}
