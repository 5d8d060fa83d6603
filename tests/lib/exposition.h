/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a Prometheus exposition back (text 0.0.4 or OpenMetrics), for the
 * tests of kvas serve: header only and libc only, so that the unit tests,
 * which link libkvascore.a alone, include it too ("../lib/exposition.h").
 */
#ifndef KVAS_TESTS_EXPOSITION_H
#define KVAS_TESTS_EXPOSITION_H

#include <stdlib.h>
#include <string.h>

/* Each sample line of name (exactly: "name{" or "name "); what fn makes of it. */
#define EXPOSITION_EACH(text, name, line, eol)					\
	for (const char *line = (text), *eol; line && *line &&			\
	     ((eol = strchrnul(line, '\n')), 1);				\
	     line = *eol ? eol + 1 : NULL)					\
		if (!strncmp(line, name, strlen(name)) &&			\
		    (line[strlen(name)] == '{' || line[strlen(name)] == ' '))

/* Does the line from line to eol contain filter (NULL: every line does)? */
static inline int exposition_line_has(const char *line, const char *eol, const char *filter)
{
	const char *f = filter ? strstr(line, filter) : line;

	return f && f <= eol;
}

/* The series (sample lines) of name whose line contains filter (NULL: all). */
static inline size_t series_count(const char *text, const char *name, const char *filter)
{
	size_t n = 0;

	EXPOSITION_EACH(text, name, line, eol)
		n += exposition_line_has(line, eol, filter);
	return n;
}

/* The sum of name's sample values whose line contains filter (NULL: all). */
static inline double sample_sum(const char *text, const char *name, const char *filter)
{
	double sum = 0;

	EXPOSITION_EACH(text, name, line, eol)
		if (exposition_line_has(line, eol, filter))
			sum += strtod((const char *)memrchr(line, ' ', eol - line) + 1, NULL);
	return sum;
}

#endif
