/*
 * oom T - the user half of the OOM killer: one check every T seconds
 *
 * Prints "oom begin to work", becomes a daemon and calls syscall 382 (or
 * writes /proc/mm_oom_check where the syscall is missing) every T seconds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"

GOLDFISH_OOM_PROGRAM("oom");

int main(int argc, char **argv)
{
	unsigned long interval;
	char *end;

	if (argc != 2 || (interval = strtoul(argv[1], &end, 10)) < 1 ||
	    *end || interval > 86400) {
		fprintf(stderr, "usage: %s T   (check every T seconds, T >= 1)\n",
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
		mm_oom_check((int)interval, MM_VIA_AUTO);
		sleep((unsigned int)interval);
	}
}
