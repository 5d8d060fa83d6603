/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In the kernel, a physical address to a pointer: one addition through the
 * direct map against a walk of the page tables (bpf/why_walk.bpf.c), both
 * timed over random System RAM addresses, fresh ones each run.
 */
#ifndef KVAS_WHY_WALK_H
#define KVAS_WHY_WALK_H

#include "procfs.h"
#include "translate.h"
#include "why_report.h"

/* Into m->walk_ns, m->direct_map_ns (per address), or m->walk_why_not. */
void why_walk_measure(const struct translate_ctx *ctx, uint64_t pgd, const struct iomem *io,
		      int rounds, struct why_measure *m);

#endif
