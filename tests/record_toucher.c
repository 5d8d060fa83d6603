// SPDX-License-Identifier: GPL-2.0
/*
 * tests/integration/test_record.c's workload, built by the test with
 * frame pointers at -O0 (gcc -O2 leaves leaf functions without a frame):
 * touches N new 4K pages (MADV_NOHUGEPAGE) in touch_pages(), called
 * through toucher_caller(), and exits with STATUS.
 *
 *   record_toucher N [STATUS [wait]]
 *
 * It prints "pid P buf ADDR pages N" first. With "wait" it reads a line
 * from stdin before touching and waits for stdin's end before exiting,
 * its pages still mapped, so that a test can read its pagemap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096L

__attribute__((noinline)) void touch_pages(volatile char *p, long n)
{
	for (long i = 0; i < n; i++)
		p[i * PAGE] = 1;
}

__attribute__((noinline)) void toucher_caller(volatile char *p, long n)
{
	touch_pages(p, n);
	__asm__ volatile("" ::: "memory");	/* not a tail call: the caller stays on the stack */
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	int status = argc > 2 ? atoi(argv[2]) : 0;
	int wait = argc > 3 && !strcmp(argv[3], "wait");
	char *p, line[16];

	p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (n <= 0 || p == MAP_FAILED)
		return 100;
	madvise(p, n * PAGE, MADV_NOHUGEPAGE);
	printf("pid %d buf %p pages %ld\n", getpid(), (void *)p, n);
	fflush(stdout);
	if (wait && !fgets(line, sizeof(line), stdin))
		return 101;
	toucher_caller(p, n);
	if (wait)
		while (fgets(line, sizeof(line), stdin))
			;
	return status;
}
