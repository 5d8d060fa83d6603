/* SPDX-License-Identifier: GPL-2.0 */
/* kvas audit's findings: a result, the evidence and why it matters. */
#ifndef KVAS_AUDIT_H
#define KVAS_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* In order of severity; --fail-on takes warn or fail. */
enum audit_result { AUDIT_PASS, AUDIT_UNKNOWN, AUDIT_WARN, AUDIT_FAIL };

struct audit_finding {
	const char *area;	/* "KASLR", "Unprivileged view", ... */
	char id[80];		/* a container label: runtime:short-id pod:uid */
	enum audit_result result;
	char evidence[1024];
	const char *why;
	char remedy[640];	/* what to do about a warn or fail; "" when nothing is said */
	const char *basis;	/* a kernel option's: "file", "boot", "none"; else NULL */
};

struct audit {
	struct audit_finding *f;
	size_t n, cap;
};

/* Add a finding: why it matters (a static string, or NULL), printf-style evidence. */
__attribute__((format(printf, 6, 7)))
void audit_add(struct audit *a, const char *area, const char *id, enum audit_result r,
	       const char *why, const char *evidence_fmt, ...);
/* Set where the finding just added knows a kernel option from. */
void audit_basis(struct audit *a, const char *basis);
/* Set what to do about the finding just added (shown when it warns or fails). */
__attribute__((format(printf, 2, 3)))
void audit_remedy(struct audit *a, const char *fmt, ...);
void audit_free(struct audit *a);

const char *audit_result_name(enum audit_result r);
/* "warn" or "fail"; -1 for anything else. */
int audit_severity_parse(const char *s);
/* Whether any finding is at least as severe as threshold. */
bool audit_reaches(const struct audit *a, enum audit_result threshold);

void audit_text(const struct audit *a, FILE *out);
json_t *audit_json(const struct audit *a, enum audit_result fail_on);

#endif
