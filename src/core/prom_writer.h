/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus exposition formats, written by one writer: the text
 * format 0.0.4 and OpenMetrics 1.0. Pure: it writes to the FILE it is given.
 *
 * A family is named without its type's suffix ("kvas_page_faults"); the
 * writer adds what each format wants: counters' samples end in _total in
 * both, their family is "kvas_page_faults_total" in 0.0.4 and
 * "kvas_page_faults" in OpenMetrics; an info family's samples end in _info
 * (a gauge of value 1 in 0.0.4). Label values and HELP are escaped;
 * OpenMetrics ends in "# EOF".
 */
#ifndef KVAS_PROM_WRITER_H
#define KVAS_PROM_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum prom_format { PROM_TEXT, PROM_OPENMETRICS };
enum prom_type { PROM_COUNTER, PROM_GAUGE, PROM_INFO };

struct prom_label {
	const char *name, *value;
};

struct prom_writer {
	FILE *out;
	enum prom_format format;
	enum prom_type type;		/* of the current family */
	char family[128];		/* "": none begun yet */
	int err;			/* 0, -EINVAL (a bad name: a bug), -EIO */
	size_t samples;			/* written so far, all families */
};

void prom_begin(struct prom_writer *w, FILE *out, enum prom_format format);
/* HELP and TYPE of a family; its samples follow. */
void prom_family(struct prom_writer *w, const char *name, enum prom_type type,
		 const char *help);
/* One sample of the current family: nr labels (names are checked). */
void prom_sample(struct prom_writer *w, const struct prom_label *labels, size_t nr,
		 double value);
/* OpenMetrics' "# EOF"; 0, or the first error of the writer. */
int prom_end(struct prom_writer *w);

/* The HTTP Content-Type of a format. */
const char *prom_content_type(enum prom_format format);
/*
 * What a scraper's Accept header asks for: OpenMetrics when it accepts
 * application/openmetrics-text at least as much as text/plain; NULL or
 * anything else, the text format.
 */
enum prom_format prom_format_accepted(const char *accept);

/* A sample value as both formats write it: "1", "0.25", "+Inf", "NaN". */
char *prom_value(double v, char *buf, size_t len);
/* Is name a valid metric (colons allowed) or label name? */
bool prom_valid_name(const char *name, bool label);

#endif
