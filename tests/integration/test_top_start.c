// SPDX-License-Identifier: GPL-2.0
/*
 * kvas top on a terminal: its first screen comes at once, before any
 * interval has passed, saying what it knows and when the rates come, and the
 * screens after it count from that moment on: pages the test touches right
 * after the first screen are in its process's row. How soon the first
 * screen comes is printed, not asserted: speed belongs to benchmarks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE		4096UL
#define TOUCH_PAGES	10000UL
#define STARTS		3
/*
 * The first screen must come before the first interval ends: with an
 * interval of 60 s, one that waits for it cannot arrive within the 15 s
 * this test waits, however loaded the machine.
 */
#define LONG_INTERVAL	"60"
#define SCREEN_WAIT_MS	15000	/* a loaded machine; the screens come every 0.5 s when it works */


/* kvas top on a pseudo-terminal of its own: what it wrote so far. */
struct top_pty {
	pid_t pid;
	int master;
	char *out;
	size_t len, cap;
};

static int top_pty_start(struct top_pty *t, const char *interval)
{
	const char *kvas = getenv("KVAS") ? getenv("KVAS") : "./kvas";
	/* a whole screen fits: top clips its screen to the window */
	struct winsize ws = { .ws_row = 100, .ws_col = 200 };
	int slave;

	memset(t, 0, sizeof(*t));
	if (openpty(&t->master, &slave, NULL, NULL, &ws))
		return -errno;
	t->pid = fork();
	if (t->pid < 0)
		return -errno;
	if (!t->pid) {
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		close(t->master);
		close(slave);
		setenv("TERM", "xterm", 1);	/* a screen only where TERM is known */
		execl(kvas, kvas, "top", "-i", interval, (char *)NULL);
		_exit(127);
	}
	close(slave);
	return 0;
}

/* Read what is there, waiting until *deadline (monotonic s); false at its end. */
static bool top_pty_read(struct top_pty *t, double deadline)
{
	return pty_read_more(t->master, &t->out, &t->len, &t->cap, deadline);
}

/*
 * Wait (timeout_ms at most) for a whole line holding text, at or after
 * from; the offset just past that line, or 0 when none came.
 */
static size_t top_pty_wait_line(struct top_pty *t, size_t from, const char *text,
				int timeout_ms)
{
	double deadline = now_s() + timeout_ms / 1000.0;

	do {
		const char *at = t->len > from ? strstr(t->out + from, text) : NULL;
		const char *nl = at ? strchr(at, '\n') : NULL;

		if (nl)
			return nl + 1 - t->out;
	} while (top_pty_read(t, deadline));
	return 0;
}

/* Stop it as a user does (Ctrl-C); its exit status. */
static int top_pty_stop(struct top_pty *t)
{
	int status;

	kill(t->pid, SIGINT);
	/* drain, so that kvas is never blocked writing to a full terminal */
	while (top_pty_read(t, now_s() + 5))
		;
	waitpid(t->pid, &status, 0);
	close(t->master);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void top_pty_free(struct top_pty *t)
{
	free(t->out);
	t->out = NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The first screen: the line saying when the rates come, and the direct map. */
#define START_LINE	"counting page faults and TLB flushes from now; the first rates in "

static void test_first_screen_at_once(void **state)
{
	double took[STARTS];

	(void)state;
	for (int i = 0; i < STARTS; i++) {
		struct top_pty t;
		double t0 = now_s();
		size_t start, end;

		assert_int_equal(top_pty_start(&t, LONG_INTERVAL), 0);
		start = top_pty_wait_line(&t, 0, START_LINE, SCREEN_WAIT_MS);
		/* the screen is whole when its direct-map line is */
		end = start ? top_pty_wait_line(&t, start, "DIRECT MAP", SCREEN_WAIT_MS) : 0;
		took[i] = now_s() - t0;
		if (!end) {
			top_pty_stop(&t);
			fail_msg("no first screen in %d ms; kvas wrote:\n%s", SCREEN_WAIT_MS,
				 t.out ? t.out : "");
		}
		/* no rates on it: none are known yet */
		t.out[end] = '\0';
		if (strstr(t.out, "PAGE FAULTS/s"))
			fail_msg("the first screen shows rates:\n%s", t.out);
		t.len = end;
		assert_int_equal(top_pty_stop(&t), 0);
		top_pty_free(&t);
	}
	qsort(took, STARTS, sizeof(took[0]), cmp_double);
	printf("first screen after %.3f, %.3f, %.3f s (interval " LONG_INTERVAL " s)\n", took[0],
	       took[1], took[2]);
}

/*
 * This process's FAULTS/s row on one screen, times the screen's interval;
 * *slack grows by what the printed roundings can hide (the interval to
 * 0.01 s, the rate to 1/s).
 */
static double my_faults(const char *screen, double *slack)
{
	const char *hdr = strstr(screen, "interval "), *line;
	char row[32];
	double interval, rate;

	if (!hdr || sscanf(hdr, "interval %lf", &interval) != 1)
		return 0;
	snprintf(row, sizeof(row), "\n  %7d ", getpid());
	line = strstr(screen, row);
	if (!line || sscanf(line + strlen(row), "%*s %lf", &rate) != 1)
		return 0;
	*slack += rate * 0.005 + interval * 0.5;
	return rate * interval;
}

/* Faults the screens after the first gave this process, summed. */
static double faults_counted(const char *out, double *slack)
{
	const char *s = strstr(out, START_LINE);
	double sum = 0;

	*slack = 0;
	while (s && (s = strstr(s + 1, "kvas top  "))) {
		const char *next = strstr(s + 1, "kvas top  ");
		size_t n = next ? (size_t)(next - s) : strlen(s);
		char *screen = strndup(s, n);

		if (screen && strstr(screen, "RECENT FAULTS"))	/* a whole screen */
			sum += my_faults(screen, slack);
		free(screen);
	}
	return sum;
}

/* Pages touched just after the first screen are counted: it said "from now". */
static void test_counts_from_first_screen(void **state)
{
	char *p = mmap(NULL, TOUCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double deadline, counted = 0, slack = 0;
	struct top_pty t;

	(void)state;
	assert_ptr_not_equal(p, MAP_FAILED);
	madvise(p, TOUCH_PAGES * PAGE, MADV_NOHUGEPAGE);
	assert_int_equal(top_pty_start(&t, "0.5"), 0);
	if (!top_pty_wait_line(&t, 0, START_LINE, SCREEN_WAIT_MS)) {
		top_pty_stop(&t);
		fail_msg("no first screen; kvas wrote:\n%s", t.out ? t.out : "");
	}
	for (size_t i = 0; i < TOUCH_PAGES; i++)
		p[i * PAGE] = 1;
	deadline = now_s() + SCREEN_WAIT_MS / 1000.0;
	while ((counted = faults_counted(t.out, &slack)) + slack < TOUCH_PAGES &&
	       top_pty_read(&t, deadline))
		;
	assert_int_equal(top_pty_stop(&t), 0);
	munmap(p, TOUCH_PAGES * PAGE);
	if (counted + slack < TOUCH_PAGES)
		fail_msg("top's screens counted %.0f faults (rounding hides %.0f at most) for pid %d;"
			 " it touched %lu pages:\n%s", counted, slack, getpid(), TOUCH_PAGES, t.out);
	top_pty_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_screen_at_once),
		cmocka_unit_test(test_counts_from_first_screen),
	};

	return run_root_suite("top's first screen (root, live kernel)", tests, NULL, NULL);
}
