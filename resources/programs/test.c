/*
 * test [-g GRACE_S] [-i] [-h HOLD_S] [-r MIB_PER_S] USER LIMIT MEM...
 *
 * Sets LIMIT bytes (grace GRACE_S) for USER, then forks one child per MEM.
 * Each child becomes USER, allocates MEM bytes touching every page, 1 MiB
 * at a time at MIB_PER_S, holds the memory HOLD_S seconds and exits.  The
 * parent waits for all of them and reports how each one ended:
 *   child process end: pid=<pid>, idx=<i>, exit=<code>
 *   child process end: pid=<pid>, idx=<i>, signal=<sig>
 * -i makes the children ignore SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

GOLDFISH_OOM_PROGRAM("test");

#define MIB	(1UL << 20)

struct test_opts {
	unsigned int grace;
	int ignore_term;
	double hold;
	double rate;		/* MiB per second */
};

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [-g GRACE_S] [-i] [-h HOLD_S] [-r MIB_PER_S] USER LIMIT MEM...\n",
		argv0);
	exit(2);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Allocate @mem bytes a MiB at a time, writing to every page through a
 * volatile pointer so the pages are really faulted in and RSS grows, and
 * pace the steps at @rate MiB/s.  The checksum at the end uses the memory.
 */
static void child_run(uid_t uid, unsigned long mem, const struct test_opts *o)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile unsigned char *buf;
	unsigned long done, step;
	unsigned long sum = 0;
	double start;

	if (o->ignore_term)
		signal(SIGTERM, SIG_IGN);
	if (setgid(uid) || setuid(uid)) {
		perror("setuid");
		_exit(1);
	}
	printf("child process start malloc: pid=%d, uid=%lu, mem=%lu\n",
	       (int)getpid(), (unsigned long)getuid(), mem);
	fflush(stdout);

	buf = mmap(NULL, mem ? mem : 1, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		_exit(1);
	}

	start = now_s();
	for (done = 0; done < mem; done += step) {
		unsigned long off;

		step = mem - done < MIB ? mem - done : MIB;
		for (off = 0; off < step; off += (unsigned long)page)
			buf[done + off] = (unsigned char)(done + off + 1);
		buf[done + step - 1] = 1;
		if (o->rate > 0)
			sleep_s(start + (double)(done + step) / MIB / o->rate -
				now_s());
	}

	printf("child process finish malloc: pid=%d, uid=%lu, mem=%lu\n",
	       (int)getpid(), (unsigned long)getuid(), mem);
	fflush(stdout);

	sleep_s(o->hold);
	for (done = 0; done < mem; done += (unsigned long)page)
		sum += buf[done];
	_exit(sum == (unsigned long)-1);	/* never true; keeps the sum */
}

int main(int argc, char **argv)
{
	struct test_opts o = { .grace = 0, .ignore_term = 0, .hold = 3,
			       .rate = 20 };
	char name[64], *end;
	unsigned long limit;
	pid_t *pids;
	uid_t uid;
	int opt, i, nmem;

	while ((opt = getopt(argc, argv, "g:ih:r:")) != -1) {
		switch (opt) {
		case 'g':
			o.grace = (unsigned int)strtoul(optarg, &end, 10);
			if (*end)
				usage(argv[0]);
			break;
		case 'i':
			o.ignore_term = 1;
			break;
		case 'h':
			o.hold = strtod(optarg, &end);
			if (*end || o.hold < 0)
				usage(argv[0]);
			break;
		case 'r':
			o.rate = strtod(optarg, &end);
			if (*end || o.rate < 0)
				usage(argv[0]);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (argc - optind < 3)
		usage(argv[0]);

	if (resolve_user(argv[optind], &uid)) {
		fprintf(stderr, "test: unknown user %s\n", argv[optind]);
		return 1;
	}
	if (parse_bytes(argv[optind + 1], &limit)) {
		fprintf(stderr, "test: bad LIMIT %s\n", argv[optind + 1]);
		return 2;
	}
	user_name(uid, name, sizeof(name));
	printf("pw->uid=%lu, pw->name=%s\n", (unsigned long)uid, name);
	printf("@@@uid: %lu\n", (unsigned long)uid);
	printf("@@@pid: %d\n", (int)getpid());
	fflush(stdout);

	if (mm_set_limit(uid, limit, o.grace, MM_VIA_AUTO))
		fprintf(stderr, "test: set_mm_limit: %s (errno=%d)\n",
			strerror(errno), errno);

	nmem = argc - optind - 2;
	pids = calloc((size_t)nmem, sizeof(*pids));
	if (!pids)
		return 1;

	for (i = 0; i < nmem; i++) {
		unsigned long mem;

		if (parse_bytes(argv[optind + 2 + i], &mem)) {
			fprintf(stderr, "test: bad MEM %s\n", argv[optind + 2 + i]);
			mem = 0;
		}
		pids[i] = fork();
		if (pids[i] == 0)
			child_run(uid, mem, &o);
		if (pids[i] < 0)
			perror("fork");
	}

	for (;;) {
		int status;
		pid_t pid = wait(&status);

		if (pid < 0)
			break;
		for (i = 0; i < nmem && pids[i] != pid; i++)
			;
		if (WIFSIGNALED(status))
			printf("child process end: pid=%d, idx=%d, signal=%d\n",
			       (int)pid, i, WTERMSIG(status));
		else
			printf("child process end: pid=%d, idx=%d, exit=%d\n",
			       (int)pid, i, WEXITSTATUS(status));
		fflush(stdout);
	}
	free(pids);
	return 0;
}
