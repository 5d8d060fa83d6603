// SPDX-License-Identifier: GPL-2.0
/*
 * The workload inside the tests' containers (tests/lib/container.c): built
 * static, copied into a busybox root filesystem, run by runc as the
 * container's process. It says "ready", then for each line "touch N" on
 * stdin faults in N pages of fresh anonymous memory (one fault each: no
 * huge pages) and forces shootdowns (tests/lib/shootdown.c: a thread on
 * CPU 1 while CPU 0 changes a page's protection), and says "done N", or
 * "done N, no shootdowns: WHY" when its thread could not be put on CPU 1.
 * It ends at the end of its input.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "shootdown.h"

#define PAGE 4096L
#define SHOOTDOWN_ROUNDS 200

static int touch(long pages)
{
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
	for (long i = 0; i < pages; i++)
		((volatile char *)p)[i * PAGE] = 1;
	munmap(p, pages * PAGE);
	return 0;
}

int main(int argc, char **argv)
{
	char line[64];
	long pages;
	int err;

	/* the name the tests find its events by */
	prctl(PR_SET_NAME, argc > 1 ? argv[1] : "kvas-ctr-work");
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "touch %ld", &pages) != 1 || pages <= 0 || touch(pages)) {
			printf("error %s", line);
			continue;
		}
		err = force_shootdowns(SHOOTDOWN_ROUNDS);
		if (err)	/* its spinner kept off CPU 1: the tests try again */
			printf("done %ld, no shootdowns: %s\n", pages, strerror(-err));
		else
			printf("done %ld\n", pages);
	}
	return 0;
}
