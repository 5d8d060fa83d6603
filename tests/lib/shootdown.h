/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced TLB shootdowns, for the tests and bench/tlb-storm: a thread pinned
 * to CPU 1 keeps reading a page while the caller, pinned to CPU 0, changes
 * its protection; each change must shoot down CPU 1's TLB (a remote IPI).
 */
#ifndef KVAS_TESTS_SHOOTDOWN_H
#define KVAS_TESTS_SHOOTDOWN_H

#include <pthread.h>

struct shootdowns {
	pthread_t spinner;
	char *page;
};

/* Map the page and start the spinner on CPU 1; 0 or -errno. */
int shootdowns_start(struct shootdowns *s);
/* rounds protection changes (two mprotects each), or forever when < 0. */
void shootdowns_run(struct shootdowns *s, long rounds);
void shootdowns_stop(struct shootdowns *s);

/* All three: what a test that only needs the events calls; shootdowns_start's result. */
int force_shootdowns(long rounds);

#endif
