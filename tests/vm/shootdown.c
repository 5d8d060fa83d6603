// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's shootdown storm: tests/lib/shootdown.c's spinner on CPU 1
 * while this thread, on CPU 0, changes the page's protection ROUNDS times.
 * Prints {"pid": N, "rounds": R} when done, for the host's check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "shootdown.h"

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 2000;
	struct shootdowns s;

	if (rounds <= 0 || shootdowns_start(&s)) {
		fprintf(stderr, "shootdown: needs a positive round count and two CPUs\n");
		return 1;
	}
	shootdowns_run(&s, rounds);
	shootdowns_stop(&s);
	printf("{\"pid\": %d, \"rounds\": %ld}\n", getpid(), rounds);
	return 0;
}
