/* SPDX-License-Identifier: GPL-2.0 */
/* Parse the kernel's VMCOREINFO ELF note (kernel/vmcore_info.c). Pure logic. */
#ifndef KVAS_VMCOREINFO_H
#define KVAS_VMCOREINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMCOREINFO_MAX_TEXT 4096

struct vmcoreinfo {
	char text[VMCOREINFO_MAX_TEXT + 1];	/* "KEY=value\n" lines */
	size_t len;
};

/*
 * Check the note header (name "VMCOREINFO", type 0) and copy out the text.
 * Returns 0, or -EINVAL with a reason in *why when the bytes are not a note
 * (for instance because they were read at a wrong direct-map base).
 */
int vmcoreinfo_parse_note(const void *buf, size_t len, struct vmcoreinfo *vi,
			  const char **why);

/* The raw value string of KEY (e.g. "NUMBER(phys_base)"), or NULL. */
const char *vmcoreinfo_get(const struct vmcoreinfo *vi, const char *key,
			   char *out, size_t out_len);

/* KEY's value as a number: hex for SYMBOL() and KERNELOFFSET, else decimal. */
bool vmcoreinfo_get_u64(const struct vmcoreinfo *vi, const char *key,
			uint64_t *value);

/* Parse /sys/kernel/vmcoreinfo: "<hex paddr> <hex size>". */
int vmcoreinfo_parse_sysfs(const char *line, uint64_t *paddr, uint64_t *size);

#endif
