/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fuzz target shares: the input as a NUL-terminated string, as
 * a FILE (the parsers that take a stream), and stderr silenced for the
 * parsers that print one error line per bad input (the sanitizers write
 * their reports to fd 2 themselves, so a crash still shows).
 */
#ifndef KVAS_FUZZ_H
#define KVAS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data with a NUL after it (it may hold NULs of its own); free() it. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* data as a read-only stream; fmemopen() refuses a size of 0. */
static inline FILE *fuzz_file(const uint8_t *data, size_t size)
{
	FILE *f = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");

	if (!f)
		abort();
	return f;
}

/* The stream stderr names, swapped for /dev/null while a parser runs. */
static inline FILE *fuzz_quiet(void)
{
	static FILE *null;
	FILE *was = stderr;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	stderr = null;
	return was;
}

static inline void fuzz_loud(FILE *was)
{
	stderr = was;
}

/* Up to 8 bytes of data as a little-endian number (0 past its end). */
static inline uint64_t fuzz_u64(const uint8_t *data, size_t size, size_t at)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 8 && at + i < size; i++)
		v |= (uint64_t)data[at + i] << (8 * i);
	return v;
}

#endif
