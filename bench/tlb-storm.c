// SPDX-License-Identifier: GPL-2.0
/*
 * A TLB-shootdown storm: a second thread of this process spins on another
 * CPU, so every mprotect of a touched page by the first thread must shoot
 * down that CPU's TLB (remote IPI). The same storm the tests force
 * (tests/lib/shootdown.c). Prints the time per mprotect in ns.
 * Usage: tlb-storm [ROUNDS]   (default 200000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "shootdown.h"

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 200000;
	struct shootdowns s;
	struct timespec a, b;

	if (rounds <= 0) {
		fprintf(stderr, "usage: tlb-storm [ROUNDS]\n");
		return 2;
	}
	if (shootdowns_start(&s)) {
		perror("tlb-storm");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	shootdowns_run(&s, rounds);
	clock_gettime(CLOCK_MONOTONIC, &b);
	shootdowns_stop(&s);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (2.0 * rounds));
	return 0;
}
