// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "watch.h"
#include "terminal.h"

volatile sig_atomic_t live_stop;

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

void live_pace_start(struct live_pace *p)
{
	p->started_ns = monotonic_ns();
}

static void pace_say(struct live_pace *p)
{
	fprintf(stderr, "kvas %s: a refresh took %.2f s, longer than the %g s interval"
		" (%llu of %llu refreshes): the intervals are as long as the refreshes\n",
		p->cmd, p->slowest, p->interval, (unsigned long long)p->slow,
		(unsigned long long)p->refreshes);
	p->told = true;
}

void live_pace_end(struct live_pace *p)
{
	double took = (monotonic_ns() - p->started_ns) / 1e9;

	p->refreshes++;
	if (took <= p->interval)
		return;
	p->slow++;
	if (took > p->slowest)
		p->slowest = took;
	if (!p->quiet && !p->told)
		pace_say(p);
}

void live_pace_report(struct live_pace *p)
{
	if (p->slow && !p->told)
		pace_say(p);
}

bool live_wait_until(uint64_t deadline_ns)
{
	/* a resize or a stop and continue ends a wait early: wait on for the rest */
	while (!live_stop) {
		uint64_t now = monotonic_ns();

		if (now >= deadline_ns)
			break;
		/* rounded up: a wait that ends early would leave a sliver of an interval */
		if (term_wait_key((int)((deadline_ns - now + 999999) / 1000000)))
			live_stop = 1;
	}
	return live_stop;
}

bool live_wait(int ms)
{
	return live_wait_until(monotonic_ns() + ms * 1000000ULL);
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
