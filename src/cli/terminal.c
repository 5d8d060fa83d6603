// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "terminal.h"

/* Alternate screen and hidden cursor; and back (DEC private modes 1049, 25). */
#define ENTER_SCREEN	"\033[?1049h\033[?25l"
#define LEAVE_SCREEN	"\033[?25h\033[?1049l"
#define HOME_CLEAR	"\033[H\033[2J"

/* What the command asked for, and what is applied now (a stop gives it back). */
static bool want_keys, want_screen, keys_gone;
static volatile sig_atomic_t keys_on, screen_on;
static volatile sig_atomic_t redraw_pending, take_pending;
static struct termios found;		/* stdin's settings as kvas found them */
static char *frame;			/* the screen last drawn, for redraws */
static size_t frame_len;

/*
 * Signals that end kvas where nobody catches them (SIGINT and SIGTERM are
 * caught to end a run cleanly): the terminal is given back before the
 * default action, a crash included.
 */
static const int fatal_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL,
};
#define NR_FATAL	(sizeof(fatal_signals) / sizeof(fatal_signals[0]))
static struct sigaction fatal_was[NR_FATAL], tstp_was, cont_was, winch_was;
static bool handlers_on, atexit_on;
/*
 * SIGWINCH and SIGCONT only set flags, so they are blocked but while
 * term_wait_key() waits (ppoll): one that came just before the wait would
 * otherwise leave its flag unseen until the wait ends, an interval later.
 */
static sigset_t mask_was;

/*
 * Terminals known to take the few sequences kvas writes (CSI H, CSI 2J, DEC
 * modes 1049 and 25), by TERM up to its first '-' or '.'. A list rather
 * than terminfo (setupterm from libtinfo): these sequences are fixed and
 * decades old in every one of them, the static build for the QEMU guests
 * needs no terminfo database, and a terminal not named here gets the plain
 * form, which is always right, at worst less pretty.
 */
static bool term_known(const char *term)
{
	static const char *const known[] = {
		"xterm", "screen", "tmux", "rxvt", "linux", "vt100", "vt102", "vt220", "ansi",
		"konsole", "gnome", "alacritty", "kitty", "foot", "st", "putty", "wezterm",
		"Eterm", "iterm2", "mintty", "cygwin", "contour", "ghostty",
	};
	size_t n;

	if (!term)
		return false;
	n = strcspn(term, "-.");
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == n && !strncmp(term, known[i], n))
			return true;
	return false;
}

bool term_can_draw(void)
{
	return isatty(STDOUT_FILENO) && term_known(getenv("TERM"));
}

static void write_all(const char *s)
{
	for (size_t len = strlen(s); len;) {
		ssize_t n = write(STDOUT_FILENO, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

/* Back as found. Async-signal-safe: signal handlers call it. */
static void give_back(void)
{
	if (screen_on) {
		screen_on = 0;
		write_all(LEAVE_SCREEN);
	}
	if (keys_on) {
		keys_on = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &found);
	}
}

/*
 * Keys without Enter or echo: ICANON and ECHO off, ISIG kept (Ctrl-C,
 * Ctrl-Z and Ctrl-\ stay signals). VMIN stays 1, not 0: term_wait_key()
 * polls before it reads, so a read never blocks, and after a SIGKILL,
 * when nothing can give the terminal back, a shell reading it waits for a
 * key instead of reading end-of-file at once (dash exits on that).
 */
static void apply_raw(void)
{
	struct termios raw = found;

	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (!tcsetattr(STDIN_FILENO, TCSANOW, &raw))
		keys_on = 1;
}

/* The terminal as the command wants it: at the start, and after a stop. */
static void take(void)
{
	/*
	 * Given back at a stop: the settings to give back are the shell's now.
	 * Still ours (SIGSTOP, then SIGCONT): applied again, in case someone
	 * changed them meanwhile, and found stays what it was.
	 */
	if (want_keys && !keys_gone && (keys_on || !tcgetattr(STDIN_FILENO, &found)))
		apply_raw();
	if (want_screen) {
		write_all(ENTER_SCREEN);
		screen_on = 1;
	}
}

static void on_fatal(int sig)
{
	give_back();
	raise(sig);	/* SA_RESETHAND: the default action, once this returns */
}

static void on_winch(int sig)
{
	(void)sig;
	redraw_pending = 1;
}

static void on_cont(int sig)
{
	(void)sig;
	take_pending = 1;
}

/* Ctrl-Z: the terminal back to the shell, then stop as if not caught. */
static void on_tstp(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int saved_errno = errno;
	struct sigaction self;
	sigset_t tstp;

	give_back();
	sigaction(sig, &dfl, &self);
	sigemptyset(&tstp);
	sigaddset(&tstp, sig);
	raise(sig);
	sigprocmask(SIG_UNBLOCK, &tstp, NULL);	/* stops here until SIGCONT */
	sigaction(sig, &self, NULL);
	take_pending = 1;
	errno = saved_errno;
}

static void catch(int sig, void (*handler)(int), int flags, struct sigaction *was)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, was);
}

static void handlers_install(void)
{
	sigset_t flags_only;

	if (handlers_on)
		return;
	handlers_on = true;
	sigemptyset(&flags_only);
	sigaddset(&flags_only, SIGWINCH);
	sigaddset(&flags_only, SIGCONT);
	sigprocmask(SIG_BLOCK, &flags_only, &mask_was);
	catch(SIGTSTP, on_tstp, SA_RESTART, &tstp_was);
	catch(SIGCONT, on_cont, SA_RESTART, &cont_was);
	catch(SIGWINCH, on_winch, SA_RESTART, &winch_was);
	for (size_t i = 0; i < NR_FATAL; i++) {
		sigaction(fatal_signals[i], NULL, &fatal_was[i]);
		if (fatal_was[i].sa_handler == SIG_DFL)
			catch(fatal_signals[i], on_fatal, SA_RESETHAND, NULL);
	}
	if (!atexit_on && !atexit(term_restore))	/* an exit() from anywhere */
		atexit_on = true;
}

static void handlers_remove(void)
{
	if (!handlers_on)
		return;
	handlers_on = false;
	sigaction(SIGTSTP, &tstp_was, NULL);
	sigaction(SIGCONT, &cont_was, NULL);
	sigaction(SIGWINCH, &winch_was, NULL);
	for (size_t i = 0; i < NR_FATAL; i++)
		if (fatal_was[i].sa_handler == SIG_DFL)
			sigaction(fatal_signals[i], &fatal_was[i], NULL);
	sigprocmask(SIG_SETMASK, &mask_was, NULL);
}

void term_keys_raw(void)
{
	if (!isatty(STDIN_FILENO))
		return;
	want_keys = true;
	handlers_install();
	take();
}

void term_screen_open(void)
{
	want_keys = isatty(STDIN_FILENO);
	want_screen = true;
	handlers_install();
	take();
}

void term_restore(void)
{
	handlers_remove();
	fflush(stdout);		/* the last screen, on the alternate screen */
	give_back();
	want_keys = want_screen = false;
	free(frame);
	frame = NULL;
	frame_len = 0;
}

/* How many bytes of a line fit in cols columns (0: any); UTF-8 tails take none. */
static size_t clip(const char *line, size_t len, unsigned int cols)
{
	unsigned int col = 0;
	size_t i;

	if (!cols)
		return len;
	for (i = 0; i < len; i++) {
		if (((unsigned char)line[i] & 0xc0) == 0x80)
			continue;
		if (++col > cols)
			break;
	}
	return i;
}

/*
 * The kept frame from the top of the window: no line wider than it (a
 * wrapped line would push the header out), no more lines than its rows,
 * and no newline on the last row (it would scroll the header out).
 */
static bool draw(void)
{
	const char *p = frame, *end = frame + frame_len;
	unsigned int rows = 0, cols = 0;
	struct winsize ws;

	if (!screen_on)
		return true;	/* stopped: drawn again when continued */
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws)) {
		rows = ws.ws_row;
		cols = ws.ws_col;
	}
	fputs(HOME_CLEAR, stdout);
	for (unsigned int row = 0; p < end && (!rows || row < rows); row++) {
		const char *nl = memchr(p, '\n', end - p);
		const char *eol = nl ? nl : end;

		fwrite(p, 1, clip(p, eol - p, cols), stdout);
		if (nl && (!rows || row + 1 < rows))
			fputc('\n', stdout);
		p = nl ? nl + 1 : end;
	}
	return fflush(stdout) == 0;
}

bool term_draw(const char *text, size_t len)
{
	char *copy = realloc(frame, len ? len : 1);

	if (!copy)
		return false;
	memcpy(copy, text, len);
	frame = copy;
	frame_len = len;
	return draw();
}

/* What the signals asked for: the terminal taken again, the screen redrawn. */
static void catch_up(void)
{
	if (take_pending) {
		take_pending = 0;
		take();
		redraw_pending = 1;
	}
	if (redraw_pending) {
		redraw_pending = 0;
		if (frame)
			draw();
	}
}

bool term_wait_key(int ms)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };
	const sigset_t *during = handlers_on ? &mask_was : NULL;
	char c;
	int n;

	catch_up();
	n = ppoll(keys_on ? &pfd : NULL, keys_on, &ts, during);
	catch_up();
	if (n <= 0 || !keys_on)
		return false;
	if (!(pfd.revents & POLLIN) || read(STDIN_FILENO, &c, 1) != 1) {
		keys_gone = true;	/* hung up: wait on time alone from now on */
		give_back();
		return false;
	}
	return c == 'q' || c == 'Q';
}
