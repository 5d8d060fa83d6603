// SPDX-License-Identifier: GPL-2.0
/*
 * kvas serve's direct-map changes: the attribution it exports is the one
 * kvas dmap finds on this kernel. Without it (no fentry, no kprobes on the
 * functions kvas hooks), the textfile says method="none" with no counts, and
 * serve says why on stderr, in kvas dmap's words; with it, the method and a
 * series per hooked function. Either way SIGTERM leaves nothing attached.
 * The counting of changes where attribution works is checked in the QEMU
 * matrix (tests/vm, serve-dmap), on Debian's kernels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exposition.h"
#include "testlib.h"

#define SERVE_WAIT_MS 30000


/* The textfile, once written whole (kvas serve renames it into place). */
static bool textfile_written(void *arg)
{
	char *text = read_text_file(arg);
	bool ok = text && strstr(text, "kvas_scrape_errors_total");

	free(text);
	return ok;
}

static void test_attribution(void **state)
{
	char dir[] = "/tmp/kvas-test-serve-dmap-XXXXXX", path[128], want[64], *text, *err;
	json_t *dmap, *att;
	const char *method, *why;
	struct bg_kvas bg;
	bool available;
	int status = -1;

	(void)state;
	dmap = run_kvas_json((const char *const[]){ "dmap", "--json", NULL }, &status);
	assert_int_equal(status, 0);
	att = json_object_get(dmap, "attribution");
	available = json_is_true(json_object_get(att, "available"));
	method = json_string_value(json_object_get(att, "method"));
	why = json_string_value(json_object_get(att, "why"));
	assert_true(available ? method != NULL : why != NULL);

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/kvas.prom", dir);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "serve", "--textfile", dir,
								   "-i", "1", NULL }), 0);
	assert_true(wait_until(textfile_written, path, SERVE_WAIT_MS));
	assert_int_equal(bg_kvas_wait(&bg, SIGTERM), 0);
	err = bg_kvas_stderr(&bg);
	bg_kvas_cleanup(&bg);
	assert_int_equal(wait_no_kvas_progs(), 0);
	text = read_text_file(path);
	assert_non_null(text);

	snprintf(want, sizeof(want), "kvas_direct_map_change_attribution{method=\"%s\"} 1\n",
		 available ? method : "none");
	if (!strstr(text, want))
		fail_msg("kvas dmap says attribution is %s, the textfile has no '%.*s':\n%s",
			 available ? method : "unavailable", (int)strlen(want) - 1, want, text);
	assert_int_equal(series_count(text, "kvas_direct_map_change_attribution", NULL), 1);
	if (available) {
		/* one series per hooked function, whether or not it was called yet */
		assert_int_equal(series_count(text, "kvas_direct_map_changes_total", NULL), 3);
		assert_int_equal(series_count(text, "kvas_direct_map_change_events_lost_total", NULL), 1);
		assert_null(strstr(err ?: "", "attribution"));
	} else {
		char line[400];

		assert_int_equal(series_count(text, "kvas_direct_map_changes_total", NULL), 0);
		assert_int_equal(series_count(text, "kvas_direct_map_changed_pages_total", NULL), 0);
		assert_int_equal(series_count(text, "kvas_direct_map_change_events_lost_total", NULL), 0);
		/* said once, on one line, with kvas dmap's reason */
		snprintf(line, sizeof(line), "kvas serve: direct-map change attribution %s\n", why);
		if (!err || !strstr(err, line))
			fail_msg("kvas serve's stderr lacks '%s': %s", why, err ? err : "(none)");
		assert_null(strstr(strstr(err, line) + strlen(line), "attribution"));
	}
	free(err);
	free(text);
	json_decref(dmap);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_attribution, teardown_kill_kvas),
	};

	return run_root_suite("serve_dmap", tests, NULL, NULL);
}
