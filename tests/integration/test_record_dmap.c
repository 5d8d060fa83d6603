// SPDX-License-Identifier: GPL-2.0
/*
 * kvas record's direct-map changes on this machine: where the kernel lets
 * kvas hook neither fentry nor kprobes, record says so on stderr in one
 * line with the kernel's reason, the file's meta dmap_changes holds the
 * same words, and kvas report shows that line (text and JSON). Where the
 * kernel allows, the meta names the hook instead (the QEMU matrix,
 * tests/vm, checks recorded changes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvas_data.h"
#include "recording.h"
#include "testlib.h"

static char dir[64];
static char file[PATH_MAX];

/* The file's meta dmap_changes, read back as kvas report reads it. */
static char *meta_status(void)
{
	struct recording r;
	char why[200] = "", *v;
	FILE *f = fopen(file, "re");

	if (!f)
		fail_msg("%s: %s", file, strerror(errno));
	if (kd_read(f, &r, why, sizeof(why)))
		fail_msg("kd_read %s: %s", file, why);
	fclose(f);
	v = recording_meta(&r, "dmap_changes") ? strdup(recording_meta(&r, "dmap_changes")) : NULL;
	recording_free(&r);
	return v;
}

static void test_unavailable_said(void **state)
{
	struct run_result rec, rep;
	char line[512], *status;
	uint64_t kprobe_fn;
	json_t *root, *d;
	int st;

	(void)state;
	unlink(file);
	assert_int_equal(run_kvas(&rec, NULL, (const char *const[]){ "record", "-o", file, "--",
				  "true", NULL }), 0);
	assert_int_equal(rec.status, 0);
	status = meta_status();
	if (!status)
		fail_msg("the file has no meta dmap_changes; record said:\n%s", rec.err);
	if (!strcmp(status, "fentry") || !strcmp(status, "kprobe")) {
		/* nothing refused: nothing to say on stderr, the report names the hook */
		assert_null(strstr(rec.err, "direct-map changes unavailable"));
		print_message("skip: this kernel lets kvas hook direct-map changes (%s): the"
			      " unavailable line is not checked\n", status);
		free(status);
		run_result_free(&rec);
		return;
	}
	/* the kernel's reason, the same words on stderr and in the file */
	assert_true(!strncmp(status, "unavailable: the kernel refused fentry (", 40));
	assert_non_null(strstr(status, ") and kprobes ("));
	if (truth_kallsyms("register_kprobe", &kprobe_fn) == -ENOENT)
		assert_non_null(strstr(status, "kprobes (CONFIG_KPROBES is off)"));
	snprintf(line, sizeof(line), "kvas record: direct-map changes %s\n", status);
	if (!strstr(rec.err, line))
		fail_msg("record's stderr lacks '%s':\n%s", line, rec.err);
	run_result_free(&rec);

	snprintf(line, sizeof(line), "\n# Direct-map changes: %s\n", status);
	assert_int_equal(run_kvas(&rep, NULL, (const char *const[]){ "report", "-i", file, NULL }),
			 0);
	assert_int_equal(rep.status, 0);
	if (!strstr(rep.out, line))
		fail_msg("the report lacks '%s':\n%s", line, rep.out);
	/* the summary's line, and the section's at the end */
	assert_non_null(strstr(strstr(rep.out, line) + 1, line));
	assert_null(strstr(rep.out, "Pages  Function"));
	run_result_free(&rep);

	root = run_kvas_json((const char *const[]){ "report", "-i", file, "--json", NULL }, &st);
	assert_non_null(root);
	assert_int_equal(st, 0);
	d = json_object_get(root, "dmap_changes");
	assert_string_equal(json_string_value(json_object_get(d, "status")), status);
	assert_true(json_is_false(json_object_get(d, "recorded")));
	assert_int_equal(json_integer_value(json_object_get(d, "changes")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "summary"),
							      "dmap_changes")), 0);
	json_decref(root);
	free(status);
	assert_int_equal(wait_no_kvas_progs(), 0);
}

static int setup(void **state)
{
	char kvas[PATH_MAX];

	(void)state;
	if (!getenv("KVAS") && realpath("./kvas", kvas))
		setenv("KVAS", kvas, 1);
	snprintf(dir, sizeof(dir), "/tmp/kvas-record-dmap-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(file, sizeof(file), "%s/dmap.data", dir);
	return 0;
}

static int teardown(void **state)
{
	char old[PATH_MAX + 8];

	(void)state;
	bg_kvas_kill_all();
	snprintf(old, sizeof(old), "%s.old", file);
	unlink(file);
	unlink(old);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unavailable_said),
	};

	return cmocka_run_group_tests_name("record_dmap", tests, setup, teardown);
}
