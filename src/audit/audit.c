// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "text_escape.h"

void audit_add(struct audit *a, const char *area, const char *id, enum audit_result r,
	       const char *why, const char *evidence_fmt, ...)
{
	struct audit_finding *f;
	va_list ap;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		struct audit_finding *v = realloc(a->f, cap * sizeof(*v));

		if (!v)
			return;	/* out of memory: the finding is lost, not the run */
		a->f = v;
		a->cap = cap;
	}
	f = &a->f[a->n++];
	memset(f, 0, sizeof(*f));
	f->area = area;
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->result = r;
	f->why = why;
	va_start(ap, evidence_fmt);
	vsnprintf(f->evidence, sizeof(f->evidence), evidence_fmt, ap);
	va_end(ap);
}

void audit_basis(struct audit *a, const char *basis)
{
	if (a->n)
		a->f[a->n - 1].basis = basis;
}

void audit_remedy(struct audit *a, const char *fmt, ...)
{
	va_list ap;

	if (!a->n)
		return;
	va_start(ap, fmt);
	vsnprintf(a->f[a->n - 1].remedy, sizeof(a->f[a->n - 1].remedy), fmt, ap);
	va_end(ap);
}

/* A remedy is for what did not pass. */
static bool remedy_shown(const struct audit_finding *f)
{
	return f->remedy[0] && f->result >= AUDIT_WARN;
}

void audit_free(struct audit *a)
{
	free(a->f);
	memset(a, 0, sizeof(*a));
}

const char *audit_result_name(enum audit_result r)
{
	static const char *const names[] = { "pass", "unknown", "warn", "fail" };

	return r <= AUDIT_FAIL ? names[r] : "?";
}

int audit_severity_parse(const char *s)
{
	if (!strcmp(s, "warn"))
		return AUDIT_WARN;
	if (!strcmp(s, "fail"))
		return AUDIT_FAIL;
	return -1;
}

bool audit_reaches(const struct audit *a, enum audit_result threshold)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->f[i].result >= threshold)
			return true;
	return false;
}

void audit_text(const struct audit *a, FILE *out)
{
	const char *area = NULL;
	int count[AUDIT_FAIL + 1] = { 0 };

	for (size_t i = 0; i < a->n; i++) {
		const struct audit_finding *f = &a->f[i];
		char tag[8], id[TEXT_ESCAPED_SIZE(sizeof(f->id))];
		char evidence[TEXT_ESCAPED_SIZE(sizeof(f->evidence))];

		count[f->result]++;
		if (!area || strcmp(area, f->area)) {
			fprintf(out, "%s%s\n", area ? "\n" : "", f->area);
			area = f->area;
		}
		snprintf(tag, sizeof(tag), "%s", audit_result_name(f->result));
		for (char *p = tag; *p; p++)
			*p = (char)(*p - 'a' + 'A');
		/* a tenant's id and evidence name its cgroup, which anyone may name */
		fprintf(out, "  %-7s %-24s %s\n", tag,
			text_escape(f->id, sizeof(f->id), id, sizeof(id)),
			text_escape(f->evidence, sizeof(f->evidence), evidence, sizeof(evidence)));
		if (f->why && f->result != AUDIT_PASS)
			fprintf(out, "  %-7s %-24s why: %s\n", "", "", f->why);
		if (remedy_shown(f))
			fprintf(out, "  %-7s %-24s do:  %s\n", "", "", f->remedy);
	}
	fprintf(out, "\n%d pass, %d warn, %d fail, %d unknown\n", count[AUDIT_PASS],
		count[AUDIT_WARN], count[AUDIT_FAIL], count[AUDIT_UNKNOWN]);
}

json_t *audit_json(const struct audit *a, enum audit_result fail_on)
{
	json_t *o = json_object(), *arr = json_array(), *sum = json_object();
	int count[AUDIT_FAIL + 1] = { 0 };

	for (size_t i = 0; i < a->n; i++) {
		const struct audit_finding *f = &a->f[i];
		json_t *j = json_object();

		count[f->result]++;
		json_object_set_new(j, "area", json_string(f->area));
		json_object_set_new(j, "id", json_string(f->id));
		json_object_set_new(j, "result", json_string(audit_result_name(f->result)));
		json_object_set_new(j, "evidence", json_string(f->evidence));
		json_object_set_new(j, "why", f->why ? json_string(f->why) : json_null());
		json_object_set_new(j, "remedy", remedy_shown(f) ? json_string(f->remedy) :
				    json_null());
		if (f->basis)
			json_object_set_new(j, "basis", json_string(f->basis));
		json_array_append_new(arr, j);
	}
	for (int r = AUDIT_PASS; r <= AUDIT_FAIL; r++)
		json_object_set_new(sum, audit_result_name(r), json_integer(count[r]));
	json_object_set_new(o, "findings", arr);
	json_object_set_new(o, "summary", sum);
	json_object_set_new(o, "fail_on", json_string(audit_result_name(fail_on)));
	json_object_set_new(o, "reached", json_boolean(audit_reaches(a, fail_on)));
	return o;
}
