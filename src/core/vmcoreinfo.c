// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcoreinfo.h"

/* An ELF note: Elf64_Nhdr, then the name and the descriptor, 4-byte padded. */
struct note_header {
	uint32_t namesz;
	uint32_t descsz;
	uint32_t type;
};

#define NOTE_NAME "VMCOREINFO"

int vmcoreinfo_parse_note(const void *buf, size_t len, struct vmcoreinfo *vi,
			  const char **why)
{
	const struct note_header *nh = buf;
	const char *name = (const char *)(nh + 1);
	size_t name_pad, desc_off;

	if (len < sizeof(*nh) + sizeof(NOTE_NAME)) {
		*why = "note too short";
		return -EINVAL;
	}
	if (nh->namesz != sizeof(NOTE_NAME) || nh->type != 0 ||
	    memcmp(name, NOTE_NAME, sizeof(NOTE_NAME))) {
		*why = "no VMCOREINFO note header at that address";
		return -EINVAL;
	}
	name_pad = (nh->namesz + 3) & ~3u;
	desc_off = sizeof(*nh) + name_pad;
	if (desc_off > len || nh->descsz > len - desc_off ||
	    nh->descsz > VMCOREINFO_MAX_TEXT) {
		*why = "note descriptor larger than the note";
		return -EINVAL;
	}
	memcpy(vi->text, (const char *)buf + desc_off, nh->descsz);
	vi->text[nh->descsz] = '\0';
	vi->len = strnlen(vi->text, nh->descsz);
	vi->text[vi->len] = '\0';
	return 0;
}

const char *vmcoreinfo_get(const struct vmcoreinfo *vi, const char *key,
			   char *out, size_t out_len)
{
	size_t klen = strlen(key);
	const char *p = vi->text;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t line_len = eol ? (size_t)(eol - p) : strlen(p);

		if (line_len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t vlen = line_len - klen - 1;

			if (vlen >= out_len)
				vlen = out_len - 1;
			memcpy(out, p + klen + 1, vlen);
			out[vlen] = '\0';
			return out;
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

bool vmcoreinfo_get_u64(const struct vmcoreinfo *vi, const char *key,
			uint64_t *value)
{
	/*
	 * SYMBOL() and KERNELOFFSET are bare hex; NUMBER() is signed decimal,
	 * except where the kernel formats it itself (VMALLOC_START: "0x...").
	 */
	bool hex = !strncmp(key, "SYMBOL(", 7) || !strcmp(key, "KERNELOFFSET");
	char buf[64], *end;
	const char *p = buf;

	if (!vmcoreinfo_get(vi, key, buf, sizeof(buf)) || !buf[0])
		return false;
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		hex = true;
		p += 2;
	}
	errno = 0;
	if (hex)
		*value = strtoull(p, &end, 16);
	else
		*value = (uint64_t)strtoll(p, &end, 10);
	return !errno && end != p && *end == '\0';
}

int vmcoreinfo_parse_sysfs(const char *line, uint64_t *paddr, uint64_t *size)
{
	unsigned long long pa, sz;

	if (sscanf(line, "%llx %llx", &pa, &sz) != 2 || !sz)
		return -EINVAL;
	*paddr = pa;
	*size = sz;
	return 0;
}
