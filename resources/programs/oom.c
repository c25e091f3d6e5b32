/*
 * oom [-s|-p] T - the user half of the OOM killer: one check every T seconds
 *
 * Prints "oom begin to work", becomes a daemon and calls syscall 382 (or
 * writes /proc/mm_oom_check where the syscall answers ENOSYS) every T
 * seconds.  -s: the syscall only; -p: /proc only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

GOLDFISH_OOM_PROGRAM("oom");

int main(int argc, char **argv)
{
	enum mm_via via;
	unsigned long interval = 0;
	char *end = NULL;
	int a = 1;

	via = mm_via_option(argc, argv, &a);
	if (a == argc - 1)
		interval = strtoul(argv[a], &end, 10);
	if (interval < 1 || interval > 86400 || *end) {
		fprintf(stderr, "usage: %s [-s|-p] T   (check every T seconds, T >= 1)\n",
			argv[0]);
		return 2;
	}

	printf("oom begin to work\n");
	fflush(stdout);

	if (daemon(0, 0)) {
		perror("daemon");
		return 1;
	}

	for (;;) {
		mm_oom_check((int)interval, via);
		sleep((unsigned int)interval);
	}
}
