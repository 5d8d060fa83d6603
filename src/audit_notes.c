// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "audit_notes.h"
#include "ksyms.h"
#include "x86_layout.h"

#define NT_GNU_BUILD_ID	3
/* Lowest kernel address of 5-level paging, so of either mode. */
#define KERNEL_HALF	GUARD_HOLE_L5

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

int elf_note_next(const unsigned char *buf, size_t len, size_t *off, struct elf_note *n)
{
	uint32_t hdr[3];	/* namesz, descsz, type */
	size_t at = *off, name_len, desc_at;

	if (at > len || len - at < sizeof(hdr))
		return 0;	/* shorter than a header: the section's padding */
	memcpy(hdr, buf + at, sizeof(hdr));
	name_len = align4(hdr[0]);
	desc_at = at + sizeof(hdr) + name_len;
	if (name_len > len - at - sizeof(hdr) || align4(hdr[1]) > len - desc_at)
		return -1;
	if (hdr[0] && buf[at + sizeof(hdr) + hdr[0] - 1] != '\0')
		return -1;	/* the name must end in its NUL */
	n->name = hdr[0] ? (const char *)buf + at + sizeof(hdr) : "";
	n->type = hdr[2];
	n->desc = buf + desc_at;
	n->descsz = hdr[1];
	*off = desc_at + align4(hdr[1]);
	return 1;
}

/* Xen's note types (include/xen/interface/elfnote.h), for the evidence. */
static const char *const xen_types[] = {
	"INFO", "ENTRY", "HYPERCALL_PAGE", "VIRT_BASE", "PADDR_OFFSET", "XEN_VERSION",
	"GUEST_OS", "GUEST_VERSION", "LOADER", "PAE_MODE", "FEATURES", "BSD_SYMTAB",
	"HV_START_LOW", "L1_MFN_VALID", "SUSPEND_CANCEL", "INIT_P2M", "MOD_START_PFN",
	"SUPPORTED_FEATURES", "PHYS32_ENTRY", "PHYS32_RELOC",
};

static void note_label(const struct elf_note *n, char *buf, size_t len)
{
	if (!strcmp(n->name, "Xen") && n->type < sizeof(xen_types) / sizeof(xen_types[0]))
		snprintf(buf, len, "Xen %s", xen_types[n->type]);
	else
		snprintf(buf, len, "%.16s type 0x%x", n->name[0] ? n->name : "unnamed", n->type);
}

/* Addresses everyone knows: the x86-64 layout's fixed points and defaults. */
static const char *layout_constant(uint64_t v)
{
	static const struct { uint64_t v; const char *name; } k[] = {
		{ START_KERNEL_MAP, "__START_KERNEL_map" },
		{ DEFAULT_TEXT, "__START_KERNEL, _text's unslid default" },
		{ GUARD_HOLE_L4, "__HYPERVISOR_VIRT_START, the 4-level guard hole" },
		{ GUARD_HOLE_L5, "the 5-level guard hole" },
		{ PAGE_OFFSET_BASE_L4, "the 4-level default page_offset_base" },
		{ PAGE_OFFSET_BASE_L5, "the 5-level default page_offset_base" },
		{ VMALLOC_BASE_L4, "the 4-level default vmalloc_base" },
		{ VMALLOC_BASE_L5, "the 5-level default vmalloc_base" },
		{ VMEMMAP_BASE_L4, "the 4-level default vmemmap_base" },
		{ VMEMMAP_BASE_L5, "the 5-level default vmemmap_base" },
		{ LDT_BASE_L4, "the 4-level LDT remap" },
		{ LDT_BASE_L5, "the 5-level LDT remap" },
		{ CPU_ENTRY_AREA_BASE, "the cpu_entry_area" },
		{ ESPFIX_BASE, "the %esp fixup stacks" },
		{ MODULES_END, "MODULES_END" },
		{ VSYSCALL_ADDR, "the vsyscall page" },
	};

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (k[i].v == v)
			return k[i].name;
	return NULL;
}

/* The symbol starting exactly at addr, if the running kernel's table has one. */
static bool symbol_at(const struct ksyms *ks, uint64_t addr, char *name, size_t len)
{
	char buf[160];
	const char *s = ks ? ksyms_name(ks, addr, buf, sizeof(buf)) : NULL;
	size_t n = s ? strlen(s) : 0;

	if (n < 5 || strcmp(s + n - 4, "+0x0"))
		return false;
	snprintf(name, len, "%.*s", (int)(n - 4), s);
	return true;
}

/*
 * An address both images could hold (the slide is smaller than the image):
 * the running kernel's symbols, at this boot's addresses, say which it is.
 */
static enum note_addr_kind judge_tie(struct note_addr *a, const struct notes_context *c)
{
	char now[64], then[64];
	/* relocated, a symbol starts at it; unrelocated, one starts a slide above it */
	bool at_now = symbol_at(c->syms, a->value, now, sizeof(now));
	bool at_then = symbol_at(c->syms, a->value + c->slide, then, sizeof(then));

	if (at_now && !at_then) {
		snprintf(a->why, sizeof(a->why), "this boot's address of %s, relocated by"
			 " the text slide 0x%llx: it gives the slide away", now,
			 (unsigned long long)c->slide);
		return NOTE_SLID;
	}
	if (at_then && !at_now) {
		snprintf(a->why, sizeof(a->why), "System.map's address of %s (this boot's"
			 " is 0x%llx): not relocated, no leak", then,
			 (unsigned long long)(a->value + c->slide));
		return NOTE_UNSLID;
	}
	snprintf(a->why, sizeof(a->why), "inside both the unslid image and this boot's"
		 " (slide 0x%llx), and no symbol tells which: cannot tell",
		 (unsigned long long)c->slide);
	return NOTE_UNCLEAR;
}

/*
 * A kernel-image address is a leak only when it is this boot's: the slide
 * added to a link-time address. Relocated values are at or above _text;
 * link-time ones lie within the image's size above __START_KERNEL.
 */
static enum note_addr_kind judge_image(struct note_addr *a, const struct notes_context *c)
{
	uint64_t size = c->image_size ? c->image_size :
			START_KERNEL_MAP + KERNEL_IMAGE_SIZE_KASLR - c->start_kernel;
	uint64_t text = c->start_kernel + c->slide, v = a->value;

	if (!c->slide_known) {
		snprintf(a->why, sizeof(a->why), "a kernel-image address, and the text slide"
			 " is unknown: whether it is this boot's or System.map's cannot be told");
		return NOTE_UNCLEAR;
	}
	if (!c->slide) {
		snprintf(a->why, sizeof(a->why), "a kernel-image address, but _text did not"
			 " slide this boot: nothing to reveal (whether the kernel relocates its"
			 " notes shows only on a slid boot)");
		return NOTE_NOT_SLID;
	}
	if (v < text) {
		snprintf(a->why, sizeof(a->why), "below this boot's _text 0x%llx, so not"
			 " relocated: System.map's address, no leak", (unsigned long long)text);
		return NOTE_UNSLID;
	}
	if (v - text >= size) {
		snprintf(a->why, sizeof(a->why), "past the end of this boot's image: an"
			 " address of neither image, cannot tell");
		return NOTE_UNCLEAR;
	}
	if (v - c->start_kernel >= size) {
		snprintf(a->why, sizeof(a->why), "this boot's address: past the unslid image,"
			 " it carries the text slide 0x%llx", (unsigned long long)c->slide);
		return NOTE_SLID;
	}
	return judge_tie(a, c);
}

static enum note_addr_kind judge(struct note_addr *a, const struct notes_context *c)
{
	const char *k = layout_constant(a->value);

	if (k) {
		snprintf(a->why, sizeof(a->why), "%s, a constant of the x86-64 layout that"
			 " KASLR never moves: no leak", k);
		return NOTE_CONSTANT;
	}
	if (a->value >= START_KERNEL_MAP &&
	    a->value - START_KERNEL_MAP < KERNEL_IMAGE_SIZE_KASLR)
		return judge_image(a, c);
	snprintf(a->why, sizeof(a->why), "a kernel address outside the image and no"
		 " documented constant: cannot tell what it reveals");
	return NOTE_UNCLEAR;
}

/* The 8-byte words of a note that are kernel addresses (4-byte ones cannot be). */
static int note_words(const struct elf_note *n, const struct notes_context *c,
		      struct note_addr *out, int max)
{
	int found = 0;

	/* a build ID's random bytes are no address */
	if (!strcmp(n->name, "GNU") && n->type == NT_GNU_BUILD_ID)
		return 0;
	for (uint32_t i = 0; n->descsz % 8 == 0 && i < n->descsz && found < max; i += 8) {
		struct note_addr *a = &out[found];

		memcpy(&a->value, n->desc + i, 8);
		if (a->value < KERNEL_HALF)
			continue;
		note_label(n, a->note, sizeof(a->note));
		a->kind = judge(a, c);
		found++;
	}
	return found;
}

int notes_judge(const void *buf, size_t len, const struct notes_context *ctx,
		struct note_addr *out, int max)
{
	struct elf_note n;
	size_t off = 0;
	int found = 0, r = 0;

	while (found < max && (r = elf_note_next(buf, len, &off, &n)) > 0)
		found += note_words(&n, ctx, out + found, max - found);
	return found < max && r < 0 ? -1 : found;
}

enum audit_result note_addr_result(enum note_addr_kind k)
{
	return k == NOTE_SLID ? AUDIT_FAIL : k == NOTE_UNCLEAR ? AUDIT_UNKNOWN : AUDIT_PASS;
}

static void sort_by_kind(struct note_addr *a, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && a[j].kind > a[j - 1].kind; j--) {
			struct note_addr t = a[j];

			a[j] = a[j - 1];
			a[j - 1] = t;
		}
}

enum audit_result notes_describe(struct note_addr *a, int n, char *buf, size_t len)
{
	size_t used = 0;

	if (n <= 0) {
		snprintf(buf, len, "no kernel address in it");
		return AUDIT_PASS;
	}
	sort_by_kind(a, n);
	buf[0] = '\0';
	for (int i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s 0x%llx: %s", i ? "; " : "",
				 a[i].note, (unsigned long long)a[i].value, a[i].why);
	return note_addr_result(a[0].kind);
}
