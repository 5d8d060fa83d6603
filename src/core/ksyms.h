/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel text symbols from /proc/kallsyms, to name the ip of a kernel fault. */
#ifndef KVAS_KSYMS_H
#define KVAS_KSYMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ksym {
	uint64_t addr;
	char *name;
};

struct ksyms {
	struct ksym *syms;
	size_t nr;
};

/* Parse text symbols (t/T) from kallsyms text; sorted by address. */
int ksyms_load(struct ksyms *ks, FILE *kallsyms);
void ksyms_free(struct ksyms *ks);
/* "name+0xoff" for addr, or NULL when no symbol precedes it. */
const char *ksyms_name(const struct ksyms *ks, uint64_t addr, char *buf, size_t len);

#endif
