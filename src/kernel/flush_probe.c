// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flush_probe.h"

struct probe {
	volatile char *page;
	int cpu;
	atomic_int ready, stop;
};

static bool pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return !sched_setaffinity(0, sizeof(set), &set);
}

/* Keeps the page's translation in the other CPU's TLB: each change must flush it. */
static void *reader(void *arg)
{
	struct probe *p = arg;

	atomic_store(&p->ready, pin(p->cpu) ? 1 : -1);
	while (!atomic_load(&p->stop))
		(void)p->page[0];
	return NULL;
}

static int child(int here, int there, unsigned int rounds)
{
	struct timespec ms = { 0, 1000 * 1000 };
	struct probe p = { .cpu = there };
	pthread_t t;

	prctl(PR_SET_NAME, "kvas-flushprobe");
	p.page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p.page == MAP_FAILED || !pin(here))
		return 1;
	p.page[0] = 1;
	if (pthread_create(&t, NULL, reader, &p))
		return 1;
	/* one second at most for the reader to reach its CPU */
	for (int i = 0; i < 1000 && !atomic_load(&p.ready); i++)
		nanosleep(&ms, NULL);
	for (unsigned int i = 0; atomic_load(&p.ready) == 1 && i < rounds; i++) {
		mprotect((void *)p.page, 4096, PROT_READ);
		mprotect((void *)p.page, 4096, PROT_READ | PROT_WRITE);
	}
	atomic_store(&p.stop, 1);
	pthread_join(t, NULL);
	return atomic_load(&p.ready) == 1 ? 0 : 1;
}

int flush_probe_run(unsigned int rounds)
{
	int here = -1, there = -1, status;
	cpu_set_t allowed;
	pid_t pid;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return -errno;
	for (int cpu = 0; cpu < CPU_SETSIZE && there < 0; cpu++)
		if (CPU_ISSET(cpu, &allowed)) {
			if (here < 0)
				here = cpu;
			else
				there = cpu;
		}
	if (there < 0)
		return -ENODEV;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid)
		_exit(child(here, there, rounds));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}
