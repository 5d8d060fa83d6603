// SPDX-License-Identifier: GPL-2.0
/*
 * kvas top on a terminal, as a person at one sees it: a pseudo-terminal of
 * the test's own, with a stand-in shell that gives kvas the foreground as a
 * shell does (so that Ctrl-Z can stop it). The alternate screen is entered
 * and left; a resize redraws at once, clipped to the new window; Ctrl-Z
 * gives the terminal back and SIGCONT takes it again; every way out (q,
 * Ctrl-C, Ctrl-\, SIGTERM, SIGHUP, the duration, an error) leaves the
 * terminal's settings as they were; a dumb or unknown TERM gets no escape
 * sequence; -i has a minimum.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define ENTER_SCREEN	"\033[?1049h"
#define LEAVE_SCREEN	"\033[?1049l"
#define HOME_CLEAR	"\033[H\033[2J"
#define WAIT_MS		15000	/* a loaded machine; it comes in well under 1 s when it works */
#define NOBODY		65534


/* kvas on a pseudo-terminal, started by a stand-in shell. */
struct term_run {
	pid_t shell, kvas;
	int master, slave;		/* slave: the test's own view of it, for termios */
	struct termios before;
	char *out;
	size_t len, cap;
};

/* The stand-in shell: kvas in a process group of its own, in the foreground. */
static void shell_main(const char *tty, const char *term, bool as_nobody, int report,
		       const char *const *args)
{
	const char *kvas = getenv("KVAS") ? getenv("KVAS") : "./kvas";
	const char *argv[16] = { kvas };
	int go[2], fd, status;
	pid_t kid;
	char c = 0;

	setsid();
	fd = open(tty, O_RDWR);		/* a session leader's first terminal: its own */
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) || pipe(go))
		_exit(120);
	kid = fork();
	if (!kid) {
		for (int i = 0; args[i] && i < 14; i++)
			argv[i + 1] = args[i];
		setpgid(0, 0);
		if (read(go[0], &c, 1) != 1)	/* until it is the foreground */
			_exit(121);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (term)
			setenv("TERM", term, 1);
		else
			unsetenv("TERM");
		if (as_nobody && setuid(NOBODY))
			_exit(122);
		execv(kvas, (char *const *)argv);
		_exit(127);
	}
	setpgid(kid, kid);
	if (tcsetpgrp(fd, kid) || write(go[1], &c, 1) != 1 ||
	    write(report, &kid, sizeof(kid)) != sizeof(kid))
		_exit(123);
	/* stops are not ends: a shell would wait for fg; this one waits for the end */
	if (waitpid(kid, &status, 0) != kid)
		_exit(124);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static int term_start(struct term_run *t, const char *term, bool as_nobody,
		      const char *const *args)
{
	struct winsize ws = { .ws_row = 40, .ws_col = 120 };
	int report[2];
	char tty[64];

	memset(t, 0, sizeof(*t));
	t->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (t->master < 0 || grantpt(t->master) || unlockpt(t->master) ||
	    ptsname_r(t->master, tty, sizeof(tty)) || ioctl(t->master, TIOCSWINSZ, &ws))
		return -errno;
	t->slave = open(tty, O_RDWR | O_NOCTTY);
	if (t->slave < 0 || tcgetattr(t->slave, &t->before) || pipe(report))
		return -errno;
	t->shell = fork();
	if (t->shell < 0)
		return -errno;
	if (!t->shell) {
		close(report[0]);
		shell_main(tty, term, as_nobody, report[1], args);
	}
	close(report[1]);
	if (read(report[0], &t->kvas, sizeof(t->kvas)) != sizeof(t->kvas))
		t->kvas = 0;
	close(report[0]);
	return t->kvas > 0 ? 0 : -ECHILD;
}

/* Read what kvas wrote, waiting until deadline (monotonic s); false at its end. */
static bool term_read(struct term_run *t, double deadline)
{
	return pty_read_more(t->master, &t->out, &t->len, &t->cap, deadline);
}

/* Wait (bounded) for text at or after from: its offset, or -1. */
static long term_wait_text(struct term_run *t, size_t from, const char *text)
{
	double deadline = now_s() + WAIT_MS / 1000.0;

	do {
		const char *at = t->len > from ? memmem(t->out + from, t->len - from, text,
							strlen(text)) : NULL;

		if (at)
			return at - t->out;
	} while (term_read(t, deadline));
	return -1;
}

static bool raw_keys(const struct termios *s)
{
	return !(s->c_lflag & (ICANON | ECHO)) && (s->c_lflag & ISIG) && s->c_cc[VMIN] == 1;
}

static bool same_settings(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	       a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
	       !memcmp(a->c_cc, b->c_cc, sizeof(a->c_cc)) &&
	       cfgetispeed(a) == cfgetispeed(b) && cfgetospeed(a) == cfgetospeed(b);
}

/* Wait (bounded, reading on so that kvas never blocks) until the settings are raw, or as before. */
static bool term_wait_settings(struct term_run *t, bool raw)
{
	double deadline = now_s() + WAIT_MS / 1000.0;
	struct termios now;

	while (now_s() < deadline) {
		if (!tcgetattr(t->slave, &now) &&
		    (raw ? raw_keys(&now) : same_settings(&now, &t->before)))
			return true;
		term_read(t, now_s() + 0.01);
	}
	return false;
}

static char proc_state(pid_t pid)
{
	char path[64], buf[256], *close_paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] ? close_paren[2] : 0;
}

/* Wait (bounded) for the end, reading all it writes; its exit status, -1 if none. */
static int term_end(struct term_run *t)
{
	double deadline = now_s() + WAIT_MS / 1000.0;
	int status;

	while (now_s() < deadline) {
		if (waitpid(t->shell, &status, WNOHANG) == t->shell) {
			while (term_read(t, now_s() + 0.05))
				;
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		term_read(t, now_s() + 0.05);
	}
	kill(t->kvas, SIGKILL);
	waitpid(t->shell, &status, 0);
	return -1;
}

static void term_free(struct term_run *t)
{
	close(t->master);
	close(t->slave);
	free(t->out);
	t->out = NULL;
}

/* A screen is whole when the next begins (or the screen is left). */
static long next_screen(struct term_run *t, size_t from)
{
	return term_wait_text(t, from, HOME_CLEAR);
}

/* Started, on the alternate screen, keys raw, one screen whole. */
static void start_top(struct term_run *t, const char *const *args)
{
	long enter, first;

	assert_int_equal(term_start(t, "xterm-256color", false, args), 0);
	enter = term_wait_text(t, 0, ENTER_SCREEN);
	first = enter < 0 ? -1 : next_screen(t, enter);
	if (first < 0 || term_wait_text(t, first, "DIRECT MAP") < 0)
		fail_msg("no alternate screen and first screen; kvas wrote:\n%s",
			 t->out ? t->out : "");
	if (!term_wait_settings(t, true))
		fail_msg("keys not raw with VMIN 1 while top runs");
}

/* How each way out is taken. */
enum way_out { BY_KEY, BY_SIGNAL, BY_DURATION };

struct exit_path {
	const char *name;
	enum way_out how;
	int what;		/* a key typed on the terminal, or a signal sent */
	int sig_status;		/* a status also right: 128 + sig until kvas catches it */
};

static void check_exit_path(const struct exit_path *p)
{
	const char *const forever[] = { "top", "-i", "0.2", NULL };
	const char *const timed[] = { "top", "-i", "0.2", "-d", "2", NULL };
	struct term_run t;
	char key = (char)p->what;
	const char *enter, *leave;
	int status;

	start_top(&t, p->how == BY_DURATION ? timed : forever);
	if (p->how == BY_KEY)
		assert_int_equal(write(t.master, &key, 1), 1);
	else if (p->how == BY_SIGNAL)
		kill(t.kvas, p->what);
	status = term_end(&t);
	if (status != 0 && status != p->sig_status)
		fail_msg("%s: exit status %d", p->name, status);
	if (!term_wait_settings(&t, false))
		fail_msg("%s: the terminal's settings differ from before", p->name);
	enter = strstr(t.out, ENTER_SCREEN);
	leave = strstr(t.out, LEAVE_SCREEN);
	if (!enter || !leave || leave < enter)
		fail_msg("%s: the alternate screen was not left", p->name);
	printf("%s: exit %d, settings as before, screen left\n", p->name, status);
	term_free(&t);
}

static void test_every_exit_restores(void **state)
{
	static const struct exit_path paths[] = {
		{ "q", BY_KEY, 'q', 0 },
		{ "Ctrl-C", BY_KEY, 0x03, 0 },
		{ "Ctrl-\\ (SIGQUIT)", BY_KEY, 0x1c, 128 + SIGQUIT },
		{ "SIGTERM", BY_SIGNAL, SIGTERM, 0 },
		{ "SIGHUP", BY_SIGNAL, SIGHUP, 128 + SIGHUP },
		{ "the duration", BY_DURATION, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		check_exit_path(&paths[i]);
}

/* Errors on a terminal: a usage error, and a runtime one (not root). */
static void test_error_exits_restore(void **state)
{
	const char *const usage[] = { "top", "-i", "1e-9", NULL };
	const char *const plain[] = { "top", NULL };
	struct term_run t;

	(void)state;
	assert_int_equal(term_start(&t, "xterm", false, usage), 0);
	assert_int_equal(term_end(&t), 2);
	assert_true(term_wait_settings(&t, false));
	assert_null(strchr(t.out ? t.out : "", '\033'));
	term_free(&t);

	assert_int_equal(term_start(&t, "xterm", true, plain), 0);
	assert_int_equal(term_end(&t), 1);
	assert_true(term_wait_settings(&t, false));
	assert_null(strchr(t.out ? t.out : "", '\033'));
	term_free(&t);
}

/*
 * The screen drawn from from (just past its HOME_CLEAR) to end: its header
 * first, no line wider than cols, rows lines at most and at least min_rows.
 */
static void check_screen_fits(const char *from, const char *end, int rows, int cols,
			      int min_rows)
{
	int row = 0;

	if (strncmp(from, "kvas top", 8))
		fail_msg("the redrawn screen does not begin with its header: %.40s", from);
	/* lines are between newlines: none after the last, which may be empty */
	for (const char *nl = from; nl; from = nl + 1) {
		const char *eol;
		int width = 0;

		nl = memchr(from, '\n', end - from);
		eol = nl ? nl : end;
		for (const char *c = from; c < eol; c++)
			if (*c != '\r' && (*c & 0xc0) != 0x80)
				width++;
		if (width > cols)
			fail_msg("line %d is %d columns wide in a window of %d: %.*s", row + 1,
				 width, cols, (int)(eol - from), from);
		row++;
	}
	if (row > rows || row < min_rows)
		fail_msg("the redrawn screen has %d lines in a window of %d rows (%d expected)",
			 row, rows, min_rows);
}

/*
 * A resize redraws at once, clipped to the window: with an interval of 600 s
 * only a redraw draws the first screen again (header, blank line, direct
 * map, and what kvas cannot count: 3 lines at least, wider than 40).
 */
static void test_resize_redraws_clipped(void **state)
{
	const char *const args[] = { "top", "-i", "600", NULL };
	struct winsize small = { .ws_row = 2, .ws_col = 40 }, big = { .ws_row = 30, .ws_col = 70 };
	struct term_run t;
	long a, b;

	(void)state;
	start_top(&t, args);
	/* the kernel sends SIGWINCH to the foreground, kvas */
	assert_int_equal(ioctl(t.master, TIOCSWINSZ, &small), 0);
	a = next_screen(&t, t.len);
	if (a < 0)
		fail_msg("no redraw after a resize to 2x40");
	assert_int_equal(ioctl(t.master, TIOCSWINSZ, &big), 0);
	b = next_screen(&t, a + strlen(HOME_CLEAR));
	if (b < 0)
		fail_msg("no redraw after a resize to 30x70; after the first redraw:\n%s",
			 t.out + a + strlen(HOME_CLEAR));
	check_screen_fits(t.out + a + strlen(HOME_CLEAR), t.out + b, small.ws_row, small.ws_col,
			  small.ws_row);
	assert_int_equal(write(t.master, "q", 1), 1);
	assert_int_equal(term_end(&t), 0);
	check_screen_fits(t.out + b + strlen(HOME_CLEAR), strstr(t.out + b, "\033[?25h"),
			  big.ws_row, big.ws_col, 3);
	assert_true(term_wait_settings(&t, false));
	term_free(&t);
}

static bool stopped(struct term_run *t)
{
	double deadline = now_s() + WAIT_MS / 1000.0;

	while (now_s() < deadline && proc_state(t->kvas) != 'T')
		term_read(t, now_s() + 0.01);
	return proc_state(t->kvas) == 'T';
}

/* Ctrl-Z gives the shell its terminal back; SIGCONT takes it again and redraws. */
static void test_stop_and_continue(void **state)
{
	const char *const args[] = { "top", "-i", "600", NULL };
	struct term_run t;
	size_t at_stop;
	long left, again;

	(void)state;
	start_top(&t, args);
	at_stop = t.len;
	assert_int_equal(write(t.master, "\x1a", 1), 1);	/* Ctrl-Z */
	if (!stopped(&t))
		fail_msg("kvas did not stop on Ctrl-Z");
	if (!term_wait_settings(&t, false))
		fail_msg("stopped, and the terminal's settings are not the shell's");
	left = term_wait_text(&t, at_stop, LEAVE_SCREEN);
	assert_true(left >= 0);
	kill(t.kvas, SIGCONT);
	if (!term_wait_settings(&t, true))
		fail_msg("continued, and the keys are not raw again");
	again = term_wait_text(&t, left, ENTER_SCREEN);
	if (again < 0 || next_screen(&t, again) < 0 ||
	    term_wait_text(&t, again, "DIRECT MAP") < 0)
		fail_msg("continued, and the screen was not drawn again");
	assert_int_equal(write(t.master, "q", 1), 1);
	assert_int_equal(term_end(&t), 0);
	assert_true(term_wait_settings(&t, false));
	term_free(&t);
}

/* Plain lines, no escape sequence, where TERM cannot take them. */
static void test_dumb_terminal_plain(void **state)
{
	const char *const args[] = { "top", "-i", "0.2", "-d", "0.5", NULL };
	const char *terms[] = { "dumb", NULL, "no-such-terminal" };

	(void)state;
	for (size_t i = 0; i < sizeof(terms) / sizeof(terms[0]); i++) {
		struct term_run t;

		assert_int_equal(term_start(&t, terms[i], false, args), 0);
		assert_int_equal(term_end(&t), 0);
		if (!t.out || !strstr(t.out, "PAGE FAULTS/s"))
			fail_msg("TERM=%s: no report; kvas wrote:\n%s", terms[i] ? terms[i] : "(unset)",
				 t.out ? t.out : "");
		if (strchr(t.out, '\033'))
			fail_msg("TERM=%s: escape sequences written", terms[i] ? terms[i] : "(unset)");
		assert_true(term_wait_settings(&t, false));
		term_free(&t);
	}
}

/* -i below 0.1 s is a usage error naming the minimum, which --help states. */
static void test_minimum_interval(void **state)
{
	const char *const cmds[] = { "top", "dmap" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		const char *const fast[] = { cmds[i], "-i", "1e-9", NULL };
		const char *const help[] = { cmds[i], "--help", NULL };
		struct run_result r;

		assert_int_equal(expect_usage_error(fast), 0);
		assert_int_equal(run_kvas(&r, NULL, fast), 0);
		assert_int_equal(r.status, 2);
		if (!strstr(r.err, "at least 0.1"))
			fail_msg("kvas %s -i 1e-9 does not name the minimum: %s", cmds[i], r.err);
		run_result_free(&r);
		assert_int_equal(run_kvas(&r, NULL, help), 0);
		assert_int_equal(r.status, 0);
		if (!strstr(r.out, "at least 0.1"))
			fail_msg("kvas %s --help does not state the minimum interval", cmds[i]);
		run_result_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_exit_restores),
		cmocka_unit_test(test_error_exits_restore),
		cmocka_unit_test(test_resize_redraws_clipped),
		cmocka_unit_test(test_stop_and_continue),
		cmocka_unit_test(test_dumb_terminal_plain),
		cmocka_unit_test(test_minimum_interval),
	};

	signal(SIGPIPE, SIG_IGN);
	return run_root_suite("kvas top on a terminal (root, pty)", tests, NULL, NULL);
}
