// SPDX-License-Identifier: GPL-2.0
/*
 * kvas installed as a system tool: make install into a scratch DESTDIR
 * gives the binary, man pages that man renders without a warning and a
 * bash completion that completes; make uninstall takes them away again.
 * The Debian package (make deb) passes lintian and its kvas runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

/* Does the file at path hold text? */
static bool file_has(const char *path, const char *text)
{
	char buf[8192];
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

/* Run argv; fail the test, showing its output, unless it exits 0. r is kept. */
static void must_run(struct run_result *r, const char *const *argv)
{
	assert_int_equal(run_cmd(r, argv), 0);
	if (r->status) {
		fprintf(stderr, "%s %s: status %d\n%s%s", argv[0], argv[1] ? argv[1] : "",
			r->status, r->out, r->err);
		fail();
	}
}

/* make TARGET VAR in the source tree, quietly; the output only on failure. */
static void make(const char *target, const char *var)
{
	struct run_result r;

	must_run(&r, (const char *const[]){ "make", "-s", "-C", source_dir(), target, var, NULL });
	run_result_free(&r);
}

static void remove_tree(const char *dir)
{
	struct run_result r;

	must_run(&r, (const char *const[]){ "rm", "-rf", "--one-file-system", dir, NULL });
	run_result_free(&r);
}

static bool is_file(const char *dir, const char *path, mode_t mode)
{
	char full[4096];
	struct stat st;

	snprintf(full, sizeof(full), "%s%s", dir, path);
	if (stat(full, &st) || !S_ISREG(st.st_mode) || (st.st_mode & 07777) != mode) {
		fprintf(stderr, "%s: not a file of mode %o\n", full, mode);
		return false;
	}
	return true;
}

/* The man pages the tree has: man/NAME.scd gives NAME (kvas-top.8). */
static int man_pages(glob_t *g)
{
	char pattern[4096];

	snprintf(pattern, sizeof(pattern), "%s/man/*.8.scd", source_dir());
	return glob(pattern, 0, NULL, g);
}

/* What bash completes "kvas WORD" to with the completion file given, sorted. */
static char *complete(const char *file, const char *word)
{
	static const char script[] =
		"source \"$1\" && COMP_WORDS=(kvas \"$2\") COMP_CWORD=1 && _kvas &&\n"
		"printf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' '\n";
	struct run_result r;
	char *out;

	must_run(&r, (const char *const[]){ "bash", "-c", script, "bash", file, word, NULL });
	out = r.out;
	r.out = NULL;
	run_result_free(&r);
	return out;
}

static void test_make_install(void **state)
{
	char root[] = "/tmp/kvas-install-XXXXXX", destdir[4200], path[4400];
	struct run_result r;
	glob_t pages;
	char *words;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(destdir, sizeof(destdir), "DESTDIR=%s", root);
	make("install", destdir);

	assert_true(is_file(root, "/usr/local/sbin/kvas", 0755));
	snprintf(path, sizeof(path), "%s/usr/local/sbin/kvas", root);
	must_run(&r, (const char *const[]){ path, "--version", NULL });
	assert_non_null(strstr(r.out, "kvas "));
	run_result_free(&r);

	/* every page there, and man renders each without a warning */
	assert_int_equal(man_pages(&pages), 0);
	assert_true(pages.gl_pathc >= 7);
	for (size_t i = 0; i < pages.gl_pathc; i++) {
		char page[256];

		snprintf(page, sizeof(page), "/usr/local/share/man/man8/%.*s",
			 (int)(strlen(strrchr(pages.gl_pathv[i], '/')) - 5),
			 strrchr(pages.gl_pathv[i], '/') + 1);
		assert_true(is_file(root, page, 0644));
		snprintf(path, sizeof(path), "%s%s", root, page);
		must_run(&r, (const char *const[]){ "man", "--warnings", "-E", "UTF-8", "-l",
						    path, NULL });
		if (r.err[0])
			fprintf(stderr, "man --warnings -l %s:\n%s", path, r.err);
		assert_string_equal(r.err, "");
		assert_non_null(strstr(r.out, "SYNOPSIS"));
		assert_non_null(strstr(r.out, "EXAMPLES"));
		run_result_free(&r);
	}

	/* the installed completion completes "kvas t" */
	assert_true(is_file(root, "/usr/local/share/bash-completion/completions/kvas", 0644));
	snprintf(path, sizeof(path), "%s/usr/local/share/bash-completion/completions/kvas", root);
	words = complete(path, "t");
	assert_string_equal(words, "top trace translate ");
	free(words);

	/* the service runs the kvas installed beside it */
	assert_true(is_file(root, "/usr/local/lib/systemd/system/kvas-serve.service", 0644));
	snprintf(path, sizeof(path), "%s/usr/local/lib/systemd/system/kvas-serve.service", root);
	assert_true(file_has(path, "\nExecStart=/usr/local/sbin/kvas serve "));

	make("uninstall", destdir);
	for (size_t i = 0; i < pages.gl_pathc; i++) {
		snprintf(path, sizeof(path), "%s/usr/local/share/man/man8/%.*s", root,
			 (int)(strlen(strrchr(pages.gl_pathv[i], '/')) - 5),
			 strrchr(pages.gl_pathv[i], '/') + 1);
		assert_int_not_equal(access(path, F_OK), 0);
	}
	snprintf(path, sizeof(path), "%s/usr/local/sbin/kvas", root);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/usr/local/share/bash-completion/completions/kvas", root);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/usr/local/lib/systemd/system/kvas-serve.service", root);
	assert_int_not_equal(access(path, F_OK), 0);
	globfree(&pages);
	remove_tree(root);
}

/*
 * make deb (nothing to do when the package is up to date; CI's make test
 * builds it first), lintian without an error, and the packaged kvas runs
 * from a scratch root.
 */
static void test_deb(void **state)
{
	char root[] = "/tmp/kvas-deb-XXXXXX", pattern[4096], path[4200];
	struct run_result r;
	glob_t debs;

	(void)state;
	if (access("/usr/bin/dpkg-buildpackage", X_OK) || access("/usr/bin/dh", X_OK) ||
	    access("/usr/bin/lintian", X_OK)) {
		fprintf(stderr, "no dpkg-buildpackage, dh or lintian: scripts/install-deps test installs them\n");
		skip();
	}
	make("deb", NULL);
	snprintf(pattern, sizeof(pattern), "%s/build/deb/kvas_*_amd64.deb", source_dir());
	assert_int_equal(glob(pattern, 0, NULL, &debs), 0);
	assert_int_equal(debs.gl_pathc, 1);

	must_run(&r, (const char *const[]){ "lintian", "--fail-on", "error", debs.gl_pathv[0],
					    NULL });
	printf("lintian %s: %s\n", debs.gl_pathv[0], r.out[0] ? r.out : "no tags\n");
	run_result_free(&r);

	assert_non_null(mkdtemp(root));
	must_run(&r, (const char *const[]){ "dpkg", "-x", debs.gl_pathv[0], root, NULL });
	run_result_free(&r);
	assert_true(is_file(root, "/usr/sbin/kvas", 0755));
	assert_true(is_file(root, "/usr/share/man/man8/kvas.8.gz", 0644));
	assert_true(is_file(root, "/usr/share/bash-completion/completions/kvas", 0644));
	assert_true(is_file(root, "/usr/share/doc/kvas/copyright", 0644));
	assert_true(is_file(root, "/usr/lib/systemd/system/kvas-serve.service", 0644));
	snprintf(path, sizeof(path), "%s/usr/lib/systemd/system/kvas-serve.service", root);
	assert_true(file_has(path, "\nExecStart=/usr/sbin/kvas serve "));

	snprintf(path, sizeof(path), "%s/usr/sbin/kvas", root);
	must_run(&r, (const char *const[]){ path, "layout", NULL });
	assert_non_null(strstr(r.out, "page_offset_base"));
	run_result_free(&r);
	globfree(&debs);
	remove_tree(root);
}

/* The tests' make must not join the make that runs the suites. */
static int forget_parent_make(void **state)
{
	(void)state;
	unsetenv("MAKEFLAGS");
	unsetenv("MFLAGS");
	unsetenv("MAKELEVEL");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_install),
		cmocka_unit_test(test_deb),
	};

	return run_root_suite("install", tests, forget_parent_make, NULL);
}
