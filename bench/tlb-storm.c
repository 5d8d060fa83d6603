// SPDX-License-Identifier: GPL-2.0
/*
 * A TLB-shootdown storm: a second thread of this process spins on another
 * CPU, so every mprotect of a touched page by the first thread must shoot
 * down that CPU's TLB (remote IPI). Prints the time per mprotect in ns.
 * Usage: tlb-storm [ROUNDS]   (default 200000)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static atomic_int stop;
static char *page;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *spinner(void *arg)
{
	(void)arg;
	pin(1);
	/* Touch the page so this CPU holds its translation in the TLB. */
	while (!atomic_load(&stop))
		(void)*(volatile char *)page;
	return NULL;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 200000;
	struct timespec a, b;
	pthread_t t;

	if (rounds <= 0) {
		fprintf(stderr, "usage: tlb-storm [ROUNDS]\n");
		return 2;
	}
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	page[0] = 1;
	pin(0);
	pthread_create(&t, NULL, spinner, NULL);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < rounds; i++) {
		/* Dropping write permission must flush every CPU that may cache it. */
		mprotect(page, 4096, PROT_READ);
		mprotect(page, 4096, PROT_READ | PROT_WRITE);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (2.0 * rounds));
	return 0;
}
