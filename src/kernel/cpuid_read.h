/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TLB leaves of CPUID, executed by kvas in user space on one CPU of
 * each core type, and the kernel's view of the same leaves through the
 * cpuid driver (/dev/cpu/N/cpuid) where it is already there: under a
 * hypervisor such as PVM the two may be served differently.
 */
#ifndef KVAS_CPUID_READ_H
#define KVAS_CPUID_READ_H

#include <stdbool.h>
#include "tlb_cpuid.h"

#define CPUID_MAX_TYPES 2	/* core types of a hybrid part */

struct cpuid_view {
	struct cpuid_tlb_leaves user[CPUID_MAX_TYPES];	/* executed by kvas */
	struct cpuid_tlb_leaves dev[CPUID_MAX_TYPES];	/* /dev/cpu/N/cpuid */
	int cpu[CPUID_MAX_TYPES];			/* the CPU each was read on */
	int nr;
	bool have_dev;		/* the driver answered for every type */
	bool differs;		/* its TLB leaves differ from user space's */
	bool hypervisor;	/* leaf 1 ECX bit 31, as user space sees it */
	char dev_why[96];	/* why there is no kernel view */
};

/* Fill v; 0, or -errno when not even one CPU could be read. */
int cpuid_view_read(struct cpuid_view *v);

#endif
