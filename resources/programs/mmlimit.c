/*
 * mmlimit [-s|-p] set USER|UID BYTES[K|M|G] [GRACE_S]
 * mmlimit [-s|-p] remove USER|UID
 * mmlimit list
 *
 * -s: syscall 381 only, -p: /proc/mm_limits only; default: the syscall,
 * /proc where it answers ENOSYS.  On failure prints
 * "mmlimit: <op> failed: <error> (errno=<n>)" and exits 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

GOLDFISH_OOM_PROGRAM("mmlimit");

static void usage(void)
{
	fprintf(stderr,
		"usage: mmlimit [-s|-p] set USER|UID BYTES[K|M|G] [GRACE_S]\n"
		"       mmlimit [-s|-p] remove USER|UID\n"
		"       mmlimit list\n");
	exit(2);
}

static int list(void)
{
	char line[256];
	FILE *f = fopen(PROC_MM_LIMITS, "r");

	if (!f) {
		fprintf(stderr, "mmlimit: list failed: %s (errno=%d)\n",
			strerror(errno), errno);
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	enum mm_via via;
	unsigned long bytes = 0, grace = 0;
	const char *op;
	char *end;
	uid_t uid;
	int a = 1;

	via = mm_via_option(argc, argv, &a);
	if (a >= argc)
		usage();
	op = argv[a++];

	if (strcmp(op, "list") == 0)
		return a == argc ? list() : (usage(), 2);

	if (a >= argc || resolve_user(argv[a], &uid)) {
		fprintf(stderr, "mmlimit: unknown user %s\n",
			a < argc ? argv[a] : "");
		return 2;
	}
	a++;

	if (strcmp(op, "set") == 0) {
		if (argc - a < 1 || argc - a > 2 || parse_bytes(argv[a], &bytes))
			usage();
		if (argc - a == 2) {
			grace = strtoul(argv[a + 1], &end, 10);
			if (*end)
				usage();
		}
	} else if (strcmp(op, "remove") != 0 || a != argc) {
		usage();
	}

	if (mm_set_limit(uid, bytes, (unsigned int)grace, via)) {
		fprintf(stderr, "mmlimit: %s failed: %s (errno=%d)\n", op,
			strerror(errno), errno);
		return 1;
	}
	return 0;
}
