// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "prom_writer.h"

void prom_begin(struct prom_writer *w, FILE *out, enum prom_format format)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->format = format;
}

bool prom_valid_name(const char *name, bool label)
{
	if (!name || !*name || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (const char *c = name; *c; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			  (*c >= '0' && *c <= '9') || *c == '_' || (!label && *c == ':');

		if (!ok)
			return false;
	}
	/* names starting with __ are Prometheus's own */
	return !(label && !strncmp(name, "__", 2));
}

/*
 * Backslash and newline always; the quote in label values, and in
 * OpenMetrics' HELP too (0.0.4 leaves it as it is there).
 */
static void put_escaped(struct prom_writer *w, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", w->out);
		else if (*s == '\n')
			fputs("\\n", w->out);
		else if (*s == '"' && quote)
			fputs("\\\"", w->out);
		else
			fputc(*s, w->out);
	}
}

static const char *type_name(const struct prom_writer *w, enum prom_type type)
{
	if (type == PROM_COUNTER)
		return "counter";
	/* 0.0.4 has no info type: a gauge that is always 1 */
	return type == PROM_INFO && w->format == PROM_OPENMETRICS ? "info" : "gauge";
}

static const char *suffix(enum prom_type type)
{
	return type == PROM_COUNTER ? "_total" : type == PROM_INFO ? "_info" : "";
}

void prom_family(struct prom_writer *w, const char *name, enum prom_type type,
		 const char *help)
{
	bool om = w->format == PROM_OPENMETRICS;
	/* OpenMetrics names the family without the samples' suffix */
	const char *sfx = om ? "" : suffix(type);

	if (!prom_valid_name(name, false) || strlen(name) + 7 > sizeof(w->family)) {
		w->err = w->err ?: -EINVAL;
		w->family[0] = '\0';
		return;
	}
	snprintf(w->family, sizeof(w->family), "%s", name);
	w->type = type;
	fprintf(w->out, "# HELP %s%s ", name, sfx);
	put_escaped(w, help, om);
	fprintf(w->out, "\n# TYPE %s%s %s\n", name, sfx, type_name(w, type));
}

/* The shortest of %.15g, %.16g, %.17g that reads back as v. */
char *prom_value(double v, char *buf, size_t len)
{
	if (isnan(v)) {
		snprintf(buf, len, "NaN");
	} else if (isinf(v)) {
		snprintf(buf, len, v > 0 ? "+Inf" : "-Inf");
	} else if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, len, "%.0f", v);
	} else {
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(buf, len, "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				break;
		}
	}
	return buf;
}

void prom_sample(struct prom_writer *w, const struct prom_label *labels, size_t nr,
		 double value)
{
	char num[40];

	if (!w->family[0]) {
		w->err = w->err ?: -EINVAL;
		return;
	}
	fprintf(w->out, "%s%s", w->family, suffix(w->type));
	for (size_t i = 0; i < nr; i++) {
		if (!prom_valid_name(labels[i].name, true))
			w->err = w->err ?: -EINVAL;
		fprintf(w->out, "%s%s=\"", i ? "," : "{", labels[i].name);
		put_escaped(w, labels[i].value ? labels[i].value : "", true);
		fputc('"', w->out);
	}
	fprintf(w->out, "%s %s\n", nr ? "}" : "", prom_value(value, num, sizeof(num)));
	w->samples++;
}

int prom_end(struct prom_writer *w)
{
	if (w->format == PROM_OPENMETRICS)
		fputs("# EOF\n", w->out);
	if (ferror(w->out))
		w->err = w->err ?: -EIO;
	return w->err;
}

const char *prom_content_type(enum prom_format format)
{
	return format == PROM_OPENMETRICS ?
		"application/openmetrics-text; version=1.0.0; charset=utf-8" :
		"text/plain; version=0.0.4; charset=utf-8";
}

/* The q of one media range "type/sub;a=b;q=0.5" (1 when not given). */
static double media_q(const char *range, size_t len)
{
	const char *p = range, *end = range + len;

	while ((p = memchr(p, ';', end - p))) {
		p++;
		while (p < end && *p == ' ')
			p++;
		if (end - p > 2 && !strncasecmp(p, "q=", 2))
			return strtod(p + 2, NULL);
	}
	return 1;
}

enum prom_format prom_format_accepted(const char *accept)
{
	double om = 0, text = 0;
	const char *p = accept;

	while (p && *p) {
		size_t len = strcspn(p, ",");
		size_t type_len;
		const char *t = p;

		while (*t == ' ' && t < p + len)
			t++;
		type_len = strcspn(t, ";, ");
		if (type_len == 28 && !strncasecmp(t, "application/openmetrics-text", 28))
			om = fmax(om, media_q(p, len));
		else if ((type_len == 10 && !strncasecmp(t, "text/plain", 10)) ||
			 (type_len == 3 && !strncmp(t, "*/*", 3)))
			text = fmax(text, media_q(p, len));
		p += len;
		if (*p == ',')
			p++;
	}
	return om > 0 && om >= text ? PROM_OPENMETRICS : PROM_TEXT;
}
