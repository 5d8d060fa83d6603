/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas why's facts from the running system that kvas dmap does not read:
 * /proc/meminfo's kinds, and whether this kernel can take more pages out
 * of the direct map (memfd_secret, guest_memfd, ASI).
 */
#ifndef KVAS_WHY_READ_H
#define KVAS_WHY_READ_H

#include "kconfig.h"
#include "why_report.h"

/* /proc/meminfo's kinds and CONFIG_VMAP_STACK into r->kinds; 0 or -errno. */
int why_kinds_read(struct why_report *r, const struct kconfig *kc);
/* memfd_secret, guest_memfd's no-direct-map flag, ASI into r. */
void why_removal_probe(struct why_report *r, const struct kconfig *kc);

#endif
