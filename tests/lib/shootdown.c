// SPDX-License-Identifier: GPL-2.0
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* sched_setaffinity, when built alone for bench/ */
#endif
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shootdown.h"

/* One storm at a time per process: the spinner reads these. */
static atomic_int spin_stop, spin_ready;
static char *volatile spin_page;

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
	/* Reading the page keeps its translation in this CPU's TLB. */
	(void)*(volatile char *)spin_page;
	atomic_store(&spin_ready, sched_getcpu() == 1 ? 1 : -1);
	while (!atomic_load(&spin_stop))
		(void)*(volatile char *)spin_page;
	return NULL;
}

int shootdowns_start(struct shootdowns *s)
{
	s->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->page == MAP_FAILED)
		return -errno;
	s->page[0] = 1;
	spin_page = s->page;
	atomic_store(&spin_stop, 0);
	atomic_store(&spin_ready, 0);
	pin(0);
	if (pthread_create(&s->spinner, NULL, spinner, NULL)) {
		munmap(s->page, 4096);
		return -EAGAIN;
	}
	/* The spinner is on CPU 1 with the page in its TLB: 10 s at most. */
	for (int i = 0; i < 10000 && !atomic_load(&spin_ready); i++)
		usleep(1000);
	if (atomic_load(&spin_ready) != 1) {
		shootdowns_stop(s);
		return atomic_load(&spin_ready) ? -EINVAL : -ETIMEDOUT;
	}
	return 0;
}

void shootdowns_run(struct shootdowns *s, long rounds)
{
	for (long i = 0; rounds < 0 || i < rounds; i++) {
		/* Dropping write permission must flush every CPU that may cache it. */
		mprotect(s->page, 4096, PROT_READ);
		mprotect(s->page, 4096, PROT_READ | PROT_WRITE);
	}
}

void shootdowns_stop(struct shootdowns *s)
{
	atomic_store(&spin_stop, 1);
	pthread_join(s->spinner, NULL);
	munmap(s->page, 4096);
}

int force_shootdowns(long rounds)
{
	struct shootdowns s;
	int err = shootdowns_start(&s);

	if (err)
		return err;
	shootdowns_run(&s, rounds);
	shootdowns_stop(&s);
	return 0;
}
