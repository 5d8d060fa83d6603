// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "live.h"

volatile sig_atomic_t live_stop;

static struct termios saved_termios;
static bool termios_saved;

static void on_signal(int sig)
{
	(void)sig;
	live_stop = 1;
}

void live_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a closed ssh session, Ctrl-\: the same clean end, output complete */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe shows up as EPIPE */
}

void live_keys_raw(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios))
		return;
	termios_saved = true;
	t = saved_termios;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

void live_keys_restore(void)
{
	if (termios_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
	termios_saved = false;
}

bool live_wait(int ms)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	char c;

	if (live_stop)
		return true;
	if (!termios_saved) {
		poll(NULL, 0, ms);
		return live_stop;
	}
	if (poll(&pfd, 1, ms) > 0 && read(STDIN_FILENO, &c, 1) == 1 &&
	    (c == 'q' || c == 'Q'))
		live_stop = 1;
	return live_stop;
}

static struct discovery *layout_from(struct translator *tr, const char *cmd,
				      uint32_t sources, bool quiet)
{
	struct discovery *d = calloc(1, sizeof(*d));
	char why[160];

	if (!d) {
		fprintf(stderr, "kvas %s: out of memory\n", cmd);
		return NULL;
	}
	d->selected = sources;
	discover_layout(d);
	if (translator_init(tr, d, why, sizeof(why))) {
		if (!quiet)
			fprintf(stderr, "kvas %s: %s\n", cmd, why);
		discovery_release(d);
		free(d);
		return NULL;
	}
	return d;
}

struct discovery *live_layout(struct translator *tr, const char *cmd)
{
	return layout_from(tr, cmd, LS_MASK(LS_KSYM) | LS_MASK(LS_TRACEPOINT) |
			   LS_MASK(LS_VMCOREINFO) | LS_MASK(LS_PAGEWALK), false);
}

struct discovery *live_layout_quick(struct translator *tr, const char *cmd)
{
	struct discovery *d = layout_from(tr, cmd, LS_MASK(LS_TRACEPOINT) |
					  LS_MASK(LS_VMCOREINFO) | LS_MASK(LS_PAGEWALK), true);

	return d ? d : live_layout(tr, cmd);
}

void live_release(struct translator *tr, struct discovery *d)
{
	translator_release(tr);
	if (d)
		discovery_release(d);
	free(d);
}
