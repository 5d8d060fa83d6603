// SPDX-License-Identifier: GPL-2.0
/*
 * A page-fault storm: map a region, write one byte per page (one user fault
 * each), unmap, again, until N faults. Prints the time per fault in ns.
 * Usage: fault-storm [FAULTS]   (default 2000000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define REGION_PAGES 4096

int main(int argc, char **argv)
{
	long faults = argc > 1 ? atol(argv[1]) : 2000000, done = 0;
	struct timespec a, b;

	if (faults <= 0) {
		fprintf(stderr, "usage: fault-storm [FAULTS]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	while (done < faults) {
		char *p = mmap(NULL, REGION_PAGES * 4096L, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		/* no THP: one fault per 4K page */
		madvise(p, REGION_PAGES * 4096L, MADV_NOHUGEPAGE);
		for (long i = 0; i < REGION_PAGES && done < faults; i++, done++)
			p[i * 4096] = 1;
		munmap(p, REGION_PAGES * 4096L);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / done);
	return 0;
}
