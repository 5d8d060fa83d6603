// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's shootdown storm: tests/lib/shootdown.c's spinner on CPU 1
 * while this thread, on CPU 0, changes the page's protection ROUNDS times,
 * and again, up to 10 x ROUNDS, until /proc/interrupts' TLB line has risen
 * by MIN_IPIS: a round sends an IPI only while the spinner is on CPU 1, and
 * under a loaded TCG host the guest's other work (kvas top's own) keeps it
 * off CPU 1 for much of a storm (71 IPIs for 2000 rounds was seen).
 * Prints {"pid": N, "rounds": R} when done, for the host's check.
 * Usage: shootdown [ROUNDS [MIN_IPIS]]   (default 2000 200)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shootdown.h"

/* The TLB shootdowns this guest's CPUs received, all CPUs; -1: no such line. */
static long tlb_irqs(void)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[4096];
	long n = -1;

	while (f && fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		while (*p == ' ')
			p++;
		if (strncmp(p, "TLB:", 4))
			continue;
		n = 0;
		for (p += 4;; p = end) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			n += v;
		}
	}
	if (f)
		fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 2000, min_ipis = argc > 2 ? atol(argv[2]) : 200;
	long before = tlb_irqs(), done = 0;
	struct shootdowns s;

	if (rounds <= 0 || min_ipis < 0 || shootdowns_start(&s)) {
		fprintf(stderr, "shootdown: needs a positive round count and two CPUs\n");
		return 1;
	}
	do {
		shootdowns_run(&s, rounds);
		done += rounds;
	} while (before >= 0 && tlb_irqs() - before < min_ipis && done < 10 * rounds);
	shootdowns_stop(&s);
	printf("{\"pid\": %d, \"rounds\": %ld}\n", getpid(), done);
	return 0;
}
