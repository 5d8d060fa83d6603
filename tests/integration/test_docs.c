// SPDX-License-Identifier: GPL-2.0
/*
 * --help, the man pages and the bash completion name the same commands and
 * options. Each command's options are read from its --help (the Options:
 * lines), from man/kvas-CMD.8.scd (the option lines of # OPTIONS) and from
 * completion/kvas.bash as bash offers them after "kvas CMD -". An option in
 * one and not in another fails, naming the file to add it to. A new command
 * in kvas --help needs man/kvas-CMD.8.scd, a line in kvas.8.scd's
 * # COMMANDS, and its place in the completion.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define MAX_WORDS 256

/* A set of words (commands or options), each once. */
struct words {
	char *w[MAX_WORDS];
	int n;
};

static void words_add(struct words *s, const char *word, size_t len)
{
	for (int i = 0; i < s->n; i++)
		if (strlen(s->w[i]) == len && !strncmp(s->w[i], word, len))
			return;
	if (s->n < MAX_WORDS)
		s->w[s->n++] = strndup(word, len);
}

static bool words_has(const struct words *s, const char *word)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->w[i], word))
			return true;
	return false;
}

static void words_free(struct words *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->w[i]);
	s->n = 0;
}

/*
 * Every word of a that b lacks, one line each: "<b_name> lacks X (in
 * <a_name>)". The number of them.
 */
static int missing(const struct words *a, const char *a_name, const struct words *b,
		   const char *b_name)
{
	int nr = 0;

	for (int i = 0; i < a->n; i++) {
		if (words_has(b, a->w[i]))
			continue;
		fprintf(stderr, "%s lacks %s (in %s)\n", b_name, a->w[i], a_name);
		nr++;
	}
	return nr;
}

/* Both ways: the number of words in one set and not the other. */
static int differ(const struct words *a, const char *a_name, const struct words *b,
		  const char *b_name)
{
	return missing(a, a_name, b, b_name) + missing(b, b_name, a, a_name);
}

/* The lines of text after the line "heading" up to the next empty line. */
static const char *section(const char *text, const char *heading, const char **end)
{
	const char *p = text;
	size_t len = strlen(heading);

	while (p && *p) {
		if (!strncmp(p, heading, len) && p[len] == '\n') {
			const char *start = p + len + 1;

			*end = strstr(start, "\n\n");
			if (!*end)
				*end = start + strlen(start);
			return start;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

/*
 * The options at the start of a line: "-i, --interval SECONDS ..." gives
 * -i and --interval (each up to a comma, a space or an '*').
 */
static void line_options(const char *line, const char *eol, struct words *opts)
{
	const char *p = line;

	for (;;) {
		size_t len;

		while (p < eol && (*p == ' ' || *p == ',' || *p == '*'))
			p++;
		if (p >= eol || *p != '-')
			return;
		len = strcspn(p, ", *\n=");
		words_add(opts, p, len);
		p += len;
	}
}

/* A --help's options: its Options: lines that start with '-' (indented at most 6). */
static void help_options(const char *help, struct words *opts)
{
	const char *end, *p = section(help, "Options:", &end);

	for (; p && p < end; p = strchr(p, '\n') + 1) {
		size_t indent = strspn(p, " ");

		if (indent <= 6 && p[indent] == '-')
			line_options(p + indent, strchr(p, '\n'), opts);
		if (!strchr(p, '\n'))
			break;
	}
}

/* kvas --help's commands: the first word of each Commands: line indented 2. */
static void help_commands(const char *help, struct words *cmds)
{
	const char *end, *p = section(help, "Commands:", &end);

	for (; p && p < end; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, "  ", 2) && islower((unsigned char)p[2]))
			words_add(cmds, p + 2, strcspn(p + 2, " \n"));
		if (!strchr(p, '\n'))
			break;
	}
}


/*
 * A man page source's items in section "# NAME": the lines that start with
 * '*' there; their options, or (commands) their first bold word.
 */
static int man_items(const char *page, const char *heading, bool commands, struct words *out)
{
	char path[4096], *scd, *p, *end;

	snprintf(path, sizeof(path), "%s/man/%s.scd", source_dir(), page);
	scd = read_text_file(path);
	if (!scd) {
		fprintf(stderr, "no man page source %s\n", path);
		return -1;
	}
	p = strstr(scd, heading);
	if (p) {
		p += strlen(heading);
		end = strstr(p, "\n# ");
		if (!end)
			end = p + strlen(p);
		for (; p && p < end; p = strchr(p, '\n')) {
			p++;
			if (*p != '*')
				continue;
			if (commands)
				words_add(out, p + 1, strcspn(p + 1, "*\n"));
			else
				line_options(p, strchr(p, '\n'), out);
		}
	}
	free(scd);
	return 0;
}

/* What bash completes after "kvas WORDS... CUR" with completion/kvas.bash. */
static int completion(const char *words, const char *cur, struct words *out)
{
	static const char script[] =
		"source \"$1\" || exit 1\n"
		"COMP_WORDS=(kvas $2 \"$3\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
		"_kvas 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"\n";
	char path[4096];
	struct run_result r;
	const char *p;

	snprintf(path, sizeof(path), "%s/completion/kvas.bash", source_dir());
	if (run_cmd(&r, (const char *const[]){ "bash", "-c", script, "bash", path, words,
					       cur, NULL }) || r.status) {
		fprintf(stderr, "bash with %s: status %d: %s\n", path, r.status, r.err);
		run_result_free(&r);
		return -1;
	}
	for (p = r.out; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != '\0'))
		if (*p != '\n')
			words_add(out, p, strcspn(p, "\n"));
	run_result_free(&r);
	return 0;
}

/* kvas ARGS's stdout (status 0 expected); caller frees. */
static char *kvas_output(const char *const *args)
{
	struct run_result r;
	char *out;

	assert_int_equal(run_kvas(&r, NULL, args), 0);
	if (r.status) {
		fprintf(stderr, "kvas %s: status %d: %s\n", args[0], r.status, r.err);
		fail();
	}
	out = r.out;
	r.out = NULL;
	run_result_free(&r);
	return out;
}

/* The commands of kvas --help: in kvas.8's COMMANDS, in the completion, with a page each. */
static void test_commands_everywhere(void **state)
{
	struct words help = { 0 }, man = { 0 }, comp = { 0 };
	char *out = kvas_output((const char *const[]){ "--help", NULL });
	int bad;

	(void)state;
	help_commands(out, &help);
	assert_true(help.n >= 6);
	assert_int_equal(man_items("kvas.8", "\n# COMMANDS\n", true, &man), 0);
	assert_int_equal(completion("", "", &comp), 0);
	bad = differ(&help, "kvas --help", &man, "man/kvas.8.scd # COMMANDS") +
	      differ(&help, "kvas --help", &comp, "completion/kvas.bash (_kvas_commands)");
	for (int i = 0; i < help.n; i++) {
		struct words page = { 0 };
		char name[64];

		snprintf(name, sizeof(name), "kvas-%s.8", help.w[i]);
		bad += man_items(name, "\n# NAME\n", false, &page) ? 1 : 0;
	}
	words_free(&help);
	words_free(&man);
	words_free(&comp);
	free(out);
	assert_int_equal(bad, 0);
}

/* Each command's options: --help, its man page and the completion agree. */
static void test_options_everywhere(void **state)
{
	struct words cmds = { 0 };
	char *out = kvas_output((const char *const[]){ "--help", NULL });
	int bad = 0;

	(void)state;
	help_commands(out, &cmds);
	free(out);
	for (int i = 0; i < cmds.n; i++) {
		struct words help = { 0 }, man = { 0 }, comp = { 0 };
		char what[64], page[64], man_name[96];

		out = kvas_output((const char *const[]){ cmds.w[i], "--help", NULL });
		help_options(out, &help);
		free(out);
		snprintf(what, sizeof(what), "kvas %s --help", cmds.w[i]);
		snprintf(page, sizeof(page), "kvas-%s.8", cmds.w[i]);
		snprintf(man_name, sizeof(man_name), "man/%s.scd # OPTIONS", page);
		if (help.n < 2) {
			fprintf(stderr, "%s: no options found in its Options: section\n", what);
			bad++;
		}
		if (man_items(page, "\n# OPTIONS\n", false, &man) || completion(cmds.w[i], "-", &comp))
			bad++;
		bad += differ(&help, what, &man, man_name) +
		       differ(&help, what, &comp, "completion/kvas.bash (_kvas_options)");
		words_free(&help);
		words_free(&man);
		words_free(&comp);
	}
	words_free(&cmds);
	assert_int_equal(bad, 0);
}

/* A row of kvas.8's OPTION LETTERS table: its letter ("" for none), long option, commands. */
struct letter_row {
	char shrt[8], lng[40], meaning[200], cmds[200];
};

/* The cell text of an scdoc table line ("|  *-i*", ":  top, dmap"), bold marks dropped. */
static void cell(const char *line, char *out, size_t len)
{
	const char *p = line + 1;
	size_t n = 0;

	p += strspn(p, " [");
	for (; *p && *p != '\n' && n + 1 < len; p++)
		if (*p != '*')
			out[n++] = *p;
	out[n] = '\0';
}

/* The table's rows, after its header; their number, or -1 without the section. */
static int letter_rows(struct letter_row *rows, int max)
{
	char path[4096], *scd, *p, *end;
	int n = -1, col = 0;

	snprintf(path, sizeof(path), "%s/man/kvas.8.scd", source_dir());
	scd = read_text_file(path);
	p = scd ? strstr(scd, "\n# OPTION LETTERS\n") : NULL;
	if (!p) {
		free(scd);
		return -1;
	}
	end = strstr(p + 1, "\n# ");
	for (; p && (!end || p < end); p = strchr(p + 1, '\n')) {
		const char *l = p + 1;

		if (*l == '|' && n + 1 < max) {
			char opt[64], *comma;

			n++;
			col = 0;
			memset(&rows[n], 0, sizeof(rows[n]));
			/* "-i, --interval", or a long option alone */
			cell(l, opt, sizeof(opt));
			comma = strstr(opt, ", ");
			if (comma) {
				*comma = '\0';
				snprintf(rows[n].shrt, sizeof(rows[n].shrt), "%.7s", opt);
			}
			snprintf(rows[n].lng, sizeof(rows[n].lng), "%.39s", comma ? comma + 2 : opt);
		} else if (*l == ':' && n >= 0) {
			++col;
			if (col == 1)
				cell(l, rows[n].meaning, sizeof(rows[n].meaning));
			else if (col == 2)
				cell(l, rows[n].cmds, sizeof(rows[n].cmds));
		}
	}
	free(scd);
	return n + 1;
}

/* Is cmd one of list's comma-separated commands? */
static bool lists(const char *list, const char *cmd)
{
	size_t len = strlen(cmd);

	for (const char *p = list; (p = strstr(p, cmd)); p += len)
		if ((p == list || p[-1] == ' ') && (p[len] == ',' || !p[len]))
			return true;
	return false;
}

/*
 * A letter's second meaning, as perf's: report's -i is its input file as
 * perf report's, where the others' -i is the interval. Allowed only where
 * the two rows share no command and the first row names the second's
 * long option, so the table itself says it.
 */
static bool second_meaning(const struct letter_row *a, const struct letter_row *b)
{
	char cmds[sizeof(b->cmds)], *c, *save = NULL;

	if (!strstr(a->meaning, b->lng))
		return false;
	snprintf(cmds, sizeof(cmds), "%s", b->cmds);
	for (c = strtok_r(cmds, ", ", &save); c; c = strtok_r(NULL, ", ", &save))
		if (lists(a->cmds, c))
			return false;
	return true;
}

/*
 * kvas.8's OPTION LETTERS: a letter in one row only (one meaning; but see
 * second_meaning), and
 * every command's --help options there, letter and long name as the row
 * has them, with the command in its list; no row names a command whose
 * --help lacks that option.
 */
static void test_option_table(void **state)
{
	struct letter_row rows[64];
	struct words cmds = { 0 };
	char *out = kvas_output((const char *const[]){ "--help", NULL });
	int n = letter_rows(rows, 64), bad = 0;

	(void)state;
	assert_true(n > 10);
	help_commands(out, &cmds);
	free(out);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if ((rows[i].shrt[0] && !strcmp(rows[i].shrt, rows[j].shrt) &&
			     !second_meaning(&rows[i], &rows[j])) ||
			    !strcmp(rows[i].lng, rows[j].lng)) {
				fprintf(stderr, "kvas.8 OPTION LETTERS: %s %s and %s %s: one letter or"
					" name, two rows\n", rows[i].shrt, rows[i].lng, rows[j].shrt,
					rows[j].lng);
				bad++;
			}
	for (int c = 0; c < cmds.n; c++) {
		char *help = kvas_output((const char *const[]){ cmds.w[c], "--help", NULL });
		const char *end, *p = section(help, "Options:", &end);
		struct words seen = { 0 };

		for (; p && p < end; p = strchr(p, '\n') + 1) {
			struct words line = { 0 };
			const char *shrt = "", *lng = "";
			size_t indent = strspn(p, " ");
			int r;

			if (indent <= 6 && p[indent] == '-')
				line_options(p + indent, strchr(p, '\n'), &line);
			for (int w = 0; w < line.n; w++)
				*(line.w[w][1] == '-' ? &lng : &shrt) = line.w[w];
			for (r = 0; line.n && r < n && strcmp(rows[r].lng, lng); r++)
				;
			if (line.n && (r == n || strcmp(rows[r].shrt, shrt) ||
				       !lists(rows[r].cmds, cmds.w[c]))) {
				fprintf(stderr, "kvas %s --help: %s %s is not in kvas.8's OPTION LETTERS"
					" as such, for %s\n", cmds.w[c], shrt, lng, cmds.w[c]);
				bad++;
			}
			if (line.n)
				words_add(&seen, lng, strlen(lng));
			words_free(&line);
			if (!strchr(p, '\n'))
				break;
		}
		for (int r = 0; r < n; r++)
			if (lists(rows[r].cmds, cmds.w[c]) && !words_has(&seen, rows[r].lng)) {
				fprintf(stderr, "kvas.8 OPTION LETTERS: %s lists %s, whose --help lacks"
					" it\n", rows[r].lng, cmds.w[c]);
				bad++;
			}
		words_free(&seen);
		free(help);
	}
	words_free(&cmds);
	assert_int_equal(bad, 0);
}

/* The fields a page's JSON FIELDS section lists ("a.b", "a[].c", "a.<key>"), from the built source. */
static int json_fields_listed(const char *cmd, struct words *out)
{
	char path[4096], *scd, *p;

	snprintf(path, sizeof(path), "%s/man/kvas-%s.8.scd", build_dir(), cmd);
	scd = read_text_file(path);
	p = scd ? strstr(scd, "\n# JSON FIELDS\n") : NULL;
	if (!p) {
		fprintf(stderr, "%s: no JSON FIELDS section\n", path);
		free(scd);
		return -1;
	}
	for (; (p = strstr(p, "\n*")); p++) {
		char field[256];
		size_t n = 0;

		/* the bold term, its escapes undone */
		for (const char *q = p + 2; *q && *q != '*' && *q != '\n' && n + 1 < sizeof(field); q++)
			if (*q != '\\' || (q++, *q))
				field[n++] = *q;
		words_add(out, field, n);
	}
	free(scd);
	return 0;
}

/*
 * Is path (segments joined by '.') listed, a listed "<key>" standing for any
 * segment? A map's key counts as listed when fields below it are.
 */
static bool field_listed(const struct words *listed, const char *path)
{
	for (int i = 0; i < listed->n; i++) {
		const char *a = listed->w[i], *b = path;

		while (*a && *b) {
			size_t la = strcspn(a, "."), lb = strcspn(b, ".");

			if (!(la == 5 && !strncmp(a, "<key>", 5)) && (la != lb || strncmp(a, b, la)))
				break;
			a += la + (a[la] == '.');
			b += lb + (b[lb] == '.');
		}
		if (!*b && (!*a || a[-1] == '.'))
			return true;
	}
	return false;
}

/* Every field path of v under prefix that the page does not list: their number. */
static int fields_unlisted(json_t *v, const char *prefix, const struct words *listed,
			   const char *cmd)
{
	const char *key;
	char path[512];
	json_t *x;
	size_t i;
	int bad = 0;

	if (json_is_array(v)) {
		snprintf(path, sizeof(path), "%.*s[]", (int)strlen(prefix), prefix);
		json_array_foreach(v, i, x)
			bad += fields_unlisted(x, *prefix ? path : "", listed, cmd);
		return bad;
	}
	json_object_foreach(v, key, x) {
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", key);
		if (!field_listed(listed, path)) {
			fprintf(stderr, "kvas %s --json: field %s is not in kvas-%s(8)'s JSON FIELDS\n",
				cmd, path, cmd);
			bad++;
			continue;
		}
		bad += fields_unlisted(x, path, listed, cmd);
	}
	return bad;
}

/* Every field of every command's --json output is defined in its man page. */
static void test_json_fields_in_man(void **state)
{
	static const char *const runs[][10] = {
		{ "layout", "--json" },
		{ "translate", "--json", "--phys", "0x1000" },
		{ "top", "--json", "-i", "0.3", "-n", "1" },
		{ "trace", "--json", "-d", "0.5", "-F", "200" },	/* bounded: a busy host makes MBs */
		{ "dmap", "--json", "-i", "0.3", "-n", "1" },
		{ "audit", "--json", "-d", "0.3" },
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct words listed = { 0 };
		struct run_result r;
		json_t *lines, *o;
		size_t k;

		assert_int_equal(json_fields_listed(runs[i][0], &listed), 0);
		assert_int_equal(run_kvas(&r, NULL, runs[i]), 0);
		/* audit's status says what it found (3: a finding reached --fail-on) */
		assert_true(r.status == 0 || (r.status == 3 && !strcmp(runs[i][0], "audit")));
		/* one document (layout, translate, audit), else JSON Lines */
		o = json_loads(r.out, 0, NULL);
		lines = o ? json_pack("[o]", o) : json_lines_of(r.out);
		assert_true(json_array_size(lines) > 0);
		json_array_foreach(lines, k, o)
			bad += fields_unlisted(o, "", &listed, runs[i][0]);
		json_decref(lines);
		run_result_free(&r);
		words_free(&listed);
	}
	assert_int_equal(bad, 0);
}

/*
 * kvas's own options (its --help lists commands, not options): kvas.8 and
 * the completion agree, and each is one kvas takes.
 */
static void test_main_options(void **state)
{
	struct words man = { 0 }, comp = { 0 };
	int bad;

	(void)state;
	assert_int_equal(man_items("kvas.8", "\n# OPTIONS\n", false, &man), 0);
	assert_int_equal(completion("", "-", &comp), 0);
	bad = differ(&man, "man/kvas.8.scd # OPTIONS", &comp, "completion/kvas.bash");
	assert_true(man.n >= 4);
	for (int i = 0; i < man.n; i++)
		free(kvas_output((const char *const[]){ man.w[i], NULL }));
	words_free(&man);
	words_free(&comp);
	assert_int_equal(bad, 0);
}

/* The examples of a --help missing from man/PAGE.scd, one line each; how many. */
static int examples_missing(const char *help, const char *page)
{
	const char *p, *end;
	char path[4096], *scd;
	int nr = 0;

	snprintf(path, sizeof(path), "%s/man/%s.scd", source_dir(), page);
	scd = read_text_file(path);
	if (!scd) {
		fprintf(stderr, "no man page source %s\n", path);
		return 1;
	}
	for (p = section(help, "Examples:", &end); p && p < end; p += strcspn(p, "\n") + 1) {
		/* the command, without its indent and a trailing "  # comment" */
		size_t len = strcspn(p, "\n");
		const char *hash = strstr(p, "  #");
		char example[512];

		if (hash && hash < p + len)
			len = hash - p;
		while (len > 2 && p[len - 1] == ' ')
			len--;
		if (len <= 2)
			continue;
		snprintf(example, sizeof(example), "\n%.*s\n", (int)(len - 2), p + 2);
		if (!strstr(scd, example)) {
			fprintf(stderr, "man/%s.scd lacks the example '%.*s'\n", page,
				(int)(len - 2), p + 2);
			nr++;
		}
	}
	free(scd);
	return nr;
}

/* The examples of every --help are in the man page's, as written. */
static void test_examples_in_man(void **state)
{
	struct words cmds = { 0 };
	char *out = kvas_output((const char *const[]){ "--help", NULL });
	int bad = examples_missing(out, "kvas.8");

	(void)state;
	help_commands(out, &cmds);
	free(out);
	for (int i = 0; i < cmds.n; i++) {
		char page[64];

		out = kvas_output((const char *const[]){ cmds.w[i], "--help", NULL });
		snprintf(page, sizeof(page), "kvas-%s.8", cmds.w[i]);
		bad += examples_missing(out, page);
		free(out);
	}
	words_free(&cmds);
	assert_int_equal(bad, 0);
}

/* The next '*' of scdoc's markup after p: not one escaped as "\\*". */
static const char *star(const char *p)
{
	while ((p = strchr(p, '*')) && p[-1] == '\\')
		p++;
	return p;
}

/* Every span of the page between a pair of '*' (scdoc's bold): where terms are defined. */
static void bold_spans(const char *scd, struct words *out)
{
	for (const char *p = star(scd + 1); p; p = star(p)) {
		const char *end = star(p + 1);

		if (!end)
			break;
		if (end > p + 1 && !memchr(p + 1, '\n', end - p - 1))
			words_add(out, p + 1, end - p - 1);
		p = end + 1;
	}
}

/* Is word (len bytes) one of the bold spans' words or runs of words? */
static bool defined_in(const struct words *bold, const char *word, size_t len)
{
	for (int i = 0; i < bold->n; i++) {
		const char *span = bold->w[i];

		for (const char *at = span; *at; at++)
			if (!strncmp(at, word, len) && (at == span || at[-1] == ' ') &&
			    (!at[len] || at[len] == ' ' || at[len] == ','))
				return true;
	}
	return false;
}

/*
 * The headings of one top screen: each section's (the capitals a line
 * starts with) and each column's (a line of capital words only).
 */
static int headings_undefined(const char *out, const struct words *bold)
{
	int bad = 0;

	for (const char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t len = strcspn(line, "\n"), n;
		bool columns = len > 0;

		for (size_t i = 0; i < len; i++)
			if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ/- ", line[i]))
				columns = false;
		if (isupper((unsigned char)line[0]) && !columns) {
			/* "TOP CONTAINERS (cgroups)", "RECENT FAULTS, ...", "EVENTS   lost 0" */
			for (n = 0; n < len && (isupper((unsigned char)line[n]) || line[n] == '/' ||
						(line[n] == ' ' && isupper((unsigned char)line[n + 1])));)
				n++;
			if (n && line[n - 1] == '/' && line[n] == 's')
				n++;	/* "PAGE FAULTS/s" */
			if (n && !defined_in(bold, line, n)) {
				fprintf(stderr, "kvas-top(8) does not define the heading '%.*s'\n", (int)n, line);
				bad++;
			}
			continue;
		}
		if (!columns || len < 20)
			continue;
		for (const char *w = line; w < line + len;) {
			w += strspn(w, " ");
			n = strcspn(w, " \n");
			/* "DIRECT MAP" is one column of two words */
			if (!strncmp(w, "DIRECT MAP", 10))
				n = 10;
			if (n && !defined_in(bold, w, n)) {
				fprintf(stderr, "kvas-top(8) does not define the column '%.*s'\n", (int)n, w);
				bad++;
			}
			w += n;
		}
	}
	return bad;
}

/* Every heading and column of top's screen, by each --by, is defined in kvas-top(8). */
static void test_top_headings_defined(void **state)
{
	static const char *const by[] = { "pid", "comm", "cgroup", "container" };
	struct words bold = { 0 };
	char path[4096], *scd;
	int bad = 0;

	(void)state;
	if (geteuid()) {
		printf("not root: kvas top cannot run: skipped\n");
		skip();
	}
	snprintf(path, sizeof(path), "%s/man/kvas-top.8.scd", source_dir());
	scd = read_text_file(path);
	assert_non_null(scd);
	bold_spans(scd, &bold);
	for (size_t i = 0; i < sizeof(by) / sizeof(by[0]); i++) {
		char *out = kvas_output((const char *const[]){ "top", "-i", "0.2", "-d", "0.2",
							       "-b", by[i], NULL });

		bad += headings_undefined(out, &bold);
		free(out);
	}
	free(scd);
	words_free(&bold);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands_everywhere),
		cmocka_unit_test(test_options_everywhere),
		cmocka_unit_test(test_option_table),
		cmocka_unit_test(test_main_options),
		cmocka_unit_test(test_examples_in_man),
		cmocka_unit_test(test_top_headings_defined),
		cmocka_unit_test(test_json_fields_in_man),
	};

	return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
