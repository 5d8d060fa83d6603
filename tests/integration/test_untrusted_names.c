// SPDX-License-Identifier: GPL-2.0
/*
 * Names anyone may choose, printed to root's terminal: children of the test
 * rename themselves (prctl PR_SET_NAME) to an escape sequence, to a tab and
 * a newline, and to CSV's comma and quote with more control bytes than a
 * column holds, then fault in pages. top's and trace's text carries the
 * escaped forms, one line each, columns still lined up, and no raw control
 * byte; JSON and CSV carry the names as they are.
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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define WAIT_MS		15000
#define NR_NAMES	3
#define CSV_MAX_COLUMNS	32

/* Each name, and how text prints it in a column of 16 (escaped, then cut). */
static const struct name {
	const char *raw, *text;
} names[NR_NAMES] = {
	{ "\033[31mRED\033[0m", "\\e[31mRED\\e[0m" },
	{ "x\ty\nz", "x\\ty\\nz" },
	{ "q,\"u\x01\x02\x03\x04\x05", "q,\"u\\x01\\x02\\x03" },
};

static pid_t children[NR_NAMES];

/* A child named name that faults in pages until killed. */
static pid_t start_named(const char *name)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_NAME, name);
	for (;;) {
		const size_t len = 32 * 4096;
		struct timespec pace = { 0, 5000000 };	/* its pace, not a wait of the test */
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		for (size_t i = 0; i < len; i += 4096)
			p[i] = 1;
		munmap(p, len);
		nanosleep(&pace, NULL);
	}
}

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < NR_NAMES; i++)
		children[i] = start_named(names[i].raw);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NR_NAMES; i++) {
		kill(children[i], SIGKILL);
		waitpid(children[i], NULL, 0);
	}
	bg_kvas_kill_all();
	return 0;
}

/* Run kvas args until cond holds on its output (bounded); its stdout. */
static char *run_until(const char *const *args, bool (*cond)(const char *out, void *arg),
		       void *arg)
{
	struct bg_kvas bg;
	bool held;
	char *out;

	assert_int_equal(bg_kvas_start(&bg, args), 0);
	held = bg_kvas_wait_output(&bg, cond, arg, WAIT_MS);
	assert_int_equal(bg_kvas_wait(&bg, SIGINT), 0);
	out = bg_kvas_stdout(&bg);
	bg_kvas_cleanup(&bg);
	if (!held)
		fail_msg("kvas %s %s: not seen in %d ms; it wrote:\n%s", args[0], args[1], WAIT_MS,
			 out);
	return out;
}

static void no_raw_controls(const char *out, const char *what)
{
	for (const char *c = out; *c; c++)
		if ((*c < 0x20 && *c != '\n') || *c == 0x7f)
			fail_msg("%s: a raw control byte 0x%02x at offset %zu", what,
				 (unsigned char)*c, (size_t)(c - out));
}

/* top's row of a process: "  PID " at a line's start; NULL when not there. */
static const char *row_of(const char *out, pid_t pid)
{
	char key[32];
	const char *at;

	snprintf(key, sizeof(key), "\n  %7d ", pid);
	at = strstr(out, key);
	return at ? at + 1 : NULL;
}

static bool all_rows(const char *out, void *arg)
{
	(void)arg;
	for (int i = 0; i < NR_NAMES; i++)
		if (!row_of(out, children[i]))
			return false;
	return true;
}

/* Text: escaped and cut to the COMM column; the rates line up with their header. */
static void test_top_text_escapes(void **state)
{
	const char *const args[] = { "top", "-i", "0.5", "--rows", "1000", NULL };
	char *out = run_until(args, all_rows, NULL);
	const char *hdr = strstr(out, "      PID COMM ");
	size_t rate_end;

	(void)state;
	no_raw_controls(out, "top");
	assert_non_null(hdr);
	rate_end = strstr(hdr, "FAULTS/s") + strlen("FAULTS/s") - hdr;
	for (int i = 0; i < NR_NAMES; i++) {
		const char *row = row_of(out, children[i]);
		char want[64];

		snprintf(want, sizeof(want), "  %7d %-16s ", children[i], names[i].text);
		if (strncmp(row, want, strlen(want)))
			fail_msg("top's row for %d: %.80s; expected it to begin %s", children[i],
				 row, want);
		if (row[rate_end] != ' ' || row[rate_end - 1] < '0' || row[rate_end - 1] > '9')
			fail_msg("top's row for %d does not line up with its header:\n%.100s\n%.100s",
				 children[i], hdr, row);
	}
	free(out);
}

static bool has_process(json_t *line, pid_t pid, const char *comm)
{
	json_t *rows = json_object_get(line, "processes"), *row;
	size_t i;

	json_array_foreach(rows, i, row)
		if (json_integer_value(json_object_get(row, "pid")) == pid)
			return json_is_string(json_object_get(row, "comm")) &&
			       !strcmp(json_string_value(json_object_get(row, "comm")), comm);
	return false;
}

/* A JSON line of out has, for pid, comm as it is: by json_line_holds(). */
struct json_want {
	pid_t pid;
	const char *comm;
	bool (*holds)(json_t *line, pid_t pid, const char *comm);
};

static bool json_seen(const char *out, void *arg)
{
	const struct json_want *w = arg;
	bool seen = false;
	char *copy = strdup(out), *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line && !seen;
	     line = strtok_r(NULL, "\n", &save)) {
		json_t *j = json_loads(line, 0, NULL);

		seen = j && w->holds(j, w->pid, w->comm);
		json_decref(j);
	}
	free(copy);
	return seen;
}

static void test_top_json_as_is(void **state)
{
	const char *const args[] = { "top", "--json", "-i", "0.5", "--rows", "1000", NULL };

	(void)state;
	for (int i = 0; i < NR_NAMES; i++) {
		struct json_want w = { children[i], names[i].raw, has_process };

		free(run_until(args, json_seen, &w));
	}
}

static bool trace_text_seen(const char *out, void *arg)
{
	return strstr(out, arg) != NULL;
}

/* One line per record, each beginning with its time; the name escaped in it. */
static void test_trace_text_escapes(void **state)
{
	(void)state;
	for (int i = 0; i < NR_NAMES; i++) {
		char pid[16], want[64];
		const char *const args[] = { "trace", "-p", pid, NULL };
		char *out, *save = NULL;
		int lines = 0;

		snprintf(pid, sizeof(pid), "%d", children[i]);
		snprintf(want, sizeof(want), " %-16s ", names[i].text);
		out = run_until(args, trace_text_seen, want);
		no_raw_controls(out, "trace");
		for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			if (lines++ && (l[0] < '0' || l[0] > '9'))
				fail_msg("trace: a line that is not a record: %s", l);
		free(out);
	}
}

static bool has_comm(json_t *line, pid_t pid, const char *comm)
{
	return json_integer_value(json_object_get(line, "pid")) == pid &&
	       json_is_string(json_object_get(line, "comm")) &&
	       !strcmp(json_string_value(json_object_get(line, "comm")), comm);
}

static void test_trace_json_as_is(void **state)
{
	(void)state;
	for (int i = 0; i < NR_NAMES; i++) {
		char pid[16];
		const char *const args[] = { "trace", "--json", "-p", pid, NULL };
		struct json_want w = { children[i], names[i].raw, has_comm };

		snprintf(pid, sizeof(pid), "%d", children[i]);
		free(run_until(args, json_seen, &w));
	}
}

/* One CSV record (RFC 4180) from *p into fields; how many, or -1 if malformed. */
static int csv_record(const char **p, char fields[][64], int max)
{
	const char *s = *p;
	int n = 0;

	while (*s && n < max) {
		size_t len = 0;

		if (*s == '"') {
			for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
				if (*s == '"')
					s++;
				if (len < 63)
					fields[n][len++] = *s;
			}
			if (*s++ != '"')
				return -1;
		} else {
			for (; *s && *s != ',' && *s != '\n'; s++)
				if (len < 63)
					fields[n][len++] = *s;
		}
		fields[n++][len] = '\0';
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\n')
			s++;
		break;
	}
	*p = s;
	return n;
}

struct csv_want {
	const char *pid, *comm;
};

/*
 * A record with the pid (column 3) and the comm (column 5) as it is, of as
 * many columns as the header: a name that split its record would not be.
 */
static bool csv_seen(const char *out, void *arg)
{
	const struct csv_want *w = arg;
	char fields[CSV_MAX_COLUMNS + 1][64];
	const char *p = out;
	int n, columns = csv_record(&p, fields, CSV_MAX_COLUMNS + 1);

	while (columns > 5 && *p && (n = csv_record(&p, fields, CSV_MAX_COLUMNS + 1)) > 0)
		if (n == columns && !strcmp(fields[2], w->pid) && !strcmp(fields[4], w->comm))
			return true;
	return false;
}

static void test_trace_csv_quotes(void **state)
{
	(void)state;
	for (int i = 0; i < NR_NAMES; i++) {
		char pid[16];
		const char *const args[] = { "trace", "--csv", "-p", pid, NULL };
		struct csv_want w = { pid, names[i].raw };

		snprintf(pid, sizeof(pid), "%d", children[i]);
		free(run_until(args, csv_seen, &w));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_text_escapes),
		cmocka_unit_test(test_top_json_as_is),
		cmocka_unit_test(test_trace_text_escapes),
		cmocka_unit_test(test_trace_json_as_is),
		cmocka_unit_test(test_trace_csv_quotes),
	};

	return run_root_suite("untrusted names in top and trace (root, live kernel)", tests,
			      setup, teardown);
}
