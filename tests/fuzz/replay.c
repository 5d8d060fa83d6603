// SPDX-License-Identifier: GPL-2.0
/*
 * make test's side of a fuzz target: no libFuzzer, no mutation; every seed
 * (corpus/NAME/) and every input that once crashed (regressions/NAME/)
 * goes through the target's LLVMFuzzerTestOneInput once. Built with the
 * suite's compiler and flags (a SANITIZE=1 build brings the sanitizers),
 * so a regression shows as a crash or a sanitizer report. FUZZ_NAME and
 * FUZZ_ROOT (tests/fuzz, absolute) come from the Makefile.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz.h"

/* Replay every file of FUZZ_ROOT/kind/FUZZ_NAME; how many there were. */
static int replay_dir(const char *kind)
{
	char dir[4096], path[8192];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s/%s", FUZZ_ROOT, kind, FUZZ_NAME);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		uint8_t *data;
		long size;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		size = ftell(f);
		rewind(f);
		/* a copy of its own size, so an over-read shows under ASan */
		data = malloc(size ? size : 1);
		assert_non_null(data);
		assert_int_equal(fread(data, 1, size, f), (size_t)size);
		fclose(f);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		n++;
	}
	closedir(d);
	printf("%s: %d %s input(s) replayed\n", FUZZ_NAME, n, kind);
	fflush(stdout);	/* before cmocka's summary on stderr */
	return n;
}

static void test_corpus(void **state)
{
	(void)state;
	/* every target has seeds: none means the tree or FUZZ_ROOT is wrong */
	assert_true(replay_dir("corpus") > 0);
}

static void test_regressions(void **state)
{
	(void)state;
	/* none yet is fine: a target that never crashed */
	if (replay_dir("regressions") < 0)
		printf("%s: no regression inputs\n", FUZZ_NAME);
	fflush(stdout);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_regressions),
	};

	return cmocka_run_group_tests_name("fuzz_" FUZZ_NAME, tests, NULL, NULL);
}
