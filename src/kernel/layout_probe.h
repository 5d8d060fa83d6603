/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout discovery: runs the selected sources in dependency order against the
 * running kernel and fills a struct layout. Also gathers the facts the report
 * shows beside the values (boot flags, config, physical memory, direct map):
 * struct discovery (layout/discovery.h).
 */
#ifndef KVAS_LAYOUT_PROBE_H
#define KVAS_LAYOUT_PROBE_H

#include "discovery.h"

/* Run discovery; returns 0 or a negative errno for a fatal setup failure. */
int discover_layout(struct discovery *d);
void discovery_release(struct discovery *d);

/* The kread handle, opened on first use; NULL if BPF cannot load. */
struct kread *discovery_kread(struct discovery *d);
/* Paging levels as far as known (0 if not). */
int discovery_levels(const struct discovery *d);

int source_ksym(struct discovery *d);
int source_tracepoint(struct discovery *d);
int source_vmcoreinfo(struct discovery *d);
int source_pagewalk(struct discovery *d);
int source_estimate(struct discovery *d);
int source_default(struct discovery *d);

#endif
