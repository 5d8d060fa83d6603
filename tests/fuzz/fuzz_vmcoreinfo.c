// SPDX-License-Identifier: GPL-2.0
/*
 * VMCOREINFO: the ELF note kvas reads from kernel memory (the bytes may be
 * anything when read at a wrong address), its KEY=value text, and
 * /sys/kernel/vmcoreinfo's "<paddr> <size>".
 */
#include "fuzz.h"
#include "vmcoreinfo.h"

static const char *const keys[] = {
	"OSRELEASE", "KERNELOFFSET", "SYMBOL(_text)", "SYMBOL(init_top_pgt)",
	"SYMBOL(mem_section)", "LENGTH(mem_section)", "SIZE(mem_section)",
	"OFFSET(mem_section.section_mem_map)", "NUMBER(SECTION_SIZE_BITS)",
	"NUMBER(VMALLOC_START)", "NUMBER(phys_base)", "NUMBER(pgtable_l5_enabled)",
	"NUMBER(sme_mask)", "NUMBER(KERNEL_IMAGE_SIZE)", "", "=",
};

static void lookups(const struct vmcoreinfo *vi)
{
	char out[64], tiny[1];
	uint64_t v;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		vmcoreinfo_get(vi, keys[i], out, sizeof(out));
		vmcoreinfo_get(vi, keys[i], tiny, sizeof(tiny));
		vmcoreinfo_get_u64(vi, keys[i], &v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmcoreinfo vi;
	const char *why;
	uint64_t paddr, len;
	char *text;

	if (!vmcoreinfo_parse_note(data, size, &vi, &why))
		lookups(&vi);
	/* the same bytes as the note's text, had the header been right */
	vi.len = size < VMCOREINFO_MAX_TEXT ? size : VMCOREINFO_MAX_TEXT;
	memcpy(vi.text, data, vi.len);
	vi.text[vi.len] = '\0';
	lookups(&vi);
	text = fuzz_text(data, size);
	vmcoreinfo_parse_sysfs(text, &paddr, &len);
	free(text);
	return 0;
}
