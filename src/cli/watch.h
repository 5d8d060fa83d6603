/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands that watch the kernel share (top, trace, dmap -i, audit,
 * translate): stopping on SIGINT, SIGTERM, a closed pipe or 'q'; waiting;
 * and the layout they translate with.
 */
#ifndef KVAS_WATCH_H
#define KVAS_WATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "mono_clock.h"
#include "translate_run.h"

extern volatile sig_atomic_t live_stop;

/* Catch SIGINT, SIGTERM, SIGHUP and SIGQUIT (no restart, so waits end), ignore SIGPIPE. */
void live_signals(void);

/*
 * Wait up to ms for 'q' (on a terminal taken with term_keys_raw() or
 * term_screen_open(), src/cli/terminal.h) or a signal that ends the run;
 * true when the user asked to stop.
 */
bool live_wait(int ms);
/* The same, until deadline_ns (monotonic_ns()). */
bool live_wait_until(uint64_t deadline_ns);


/*
 * A refresh (read, build, print) that takes longer than the interval makes
 * every interval that long: said once on stderr, at once, or at the end
 * while a screen is up (quiet), where stderr would tear it.
 */
struct live_pace {
	const char *cmd;
	double interval;		/* seconds */
	bool quiet;
	uint64_t started_ns;
	uint64_t refreshes, slow;	/* how many, and how many took longer */
	double slowest;			/* seconds */
	bool told;
};

void live_pace_start(struct live_pace *p);
void live_pace_end(struct live_pace *p);
/* At the end: say it now if it was kept quiet. */
void live_pace_report(struct live_pace *p);

/* Discover the layout and build the translation context, or say why not. */
struct discovery *live_layout(struct translator *tr, const char *cmd);
/*
 * The same for a command that only translates (top): without the ksym
 * source, whose read of /proc/kallsyms is half of a start, unless the
 * others leave a value the translation needs unknown or in conflict.
 */
struct discovery *live_layout_quick(struct translator *tr, const char *cmd);
/* Undo live_layout (d may be NULL). */
void live_release(struct translator *tr, struct discovery *d);

#endif
