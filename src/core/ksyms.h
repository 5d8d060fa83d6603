/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel text symbols from /proc/kallsyms, to name the ip of a kernel fault. */
#ifndef KVAS_KSYMS_H
#define KVAS_KSYMS_H

#include <stdbool.h>
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

/*
 * One kallsyms line, "ffffffff81000000 T _text [module]": the address, the
 * type letter and the name (cut to len - 1). false when it is no such line.
 */
bool kallsyms_line(const char *line, uint64_t *addr, char *type, char *name, size_t len);
/* Parse text symbols (t/T) from kallsyms text; sorted by address. */
int ksyms_load(struct ksyms *ks, FILE *kallsyms);
void ksyms_free(struct ksyms *ks);
/* "name+0xoff" for addr, or NULL when no symbol precedes it. */
const char *ksyms_name(const struct ksyms *ks, uint64_t addr, char *buf, size_t len);

#endif
