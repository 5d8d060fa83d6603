/* SPDX-License-Identifier: GPL-2.0 */
/* kvas audit's checks, one area each; they add findings to an audit. */
#ifndef KVAS_AUDIT_CHECKS_H
#define KVAS_AUDIT_CHECKS_H

#include "audit.h"
#include "discovery.h"
#include "dmap_summary.h"
#include "exposure_facts.h"
#include "kaslr_entropy.h"
#include "layout_report.h"
#include "top_report.h"

struct ksyms;

struct audit_inputs {
	const struct discovery *d;
	const struct layout_report *layout;
	uint64_t page_struct_size;
	const struct exposure_facts *exposure;
	const struct ksyms *ksyms;		/* the running kernel's; NULL: unreadable */
	const struct dmap_summary *dmap;	/* NULL: the walk failed */
	const struct direct_map_stats *dmap_stats;
	bool secretmem;
	const char *secretmem_why;
	const struct top_report *tenants;	/* NULL: not measured */
};

void audit_kaslr(struct audit *a, const struct audit_inputs *in);
void audit_exposure(struct audit *a, const struct audit_inputs *in);
void audit_config(struct audit *a, const struct audit_inputs *in);
/* mitigations= and each attack vector it turns off (audit_config calls it). */
void audit_mitigations(struct audit *a, const struct audit_inputs *in);
void audit_vulnerabilities(struct audit *a, const struct audit_inputs *in);
void audit_direct_map(struct audit *a, const struct audit_inputs *in);
void audit_tenants(struct audit *a, const struct audit_inputs *in);
void audit_flushes(struct audit *a, const struct audit_inputs *in);

/* KASLR's positions as audit_kaslr() counts them (kvas serve exports their bits). */
uint64_t audit_text_kaslr_slots(const struct audit_inputs *in);	/* 0: unknown */
int audit_memory_kaslr_entropy(const struct audit_inputs *in, struct mem_kaslr_entropy *e);

#endif
