// SPDX-License-Identifier: GPL-2.0
/* kvas audit: text and memory KASLR, with the entropy this kernel allows. */
#include <string.h>

#include "audit_checks.h"
#include "kaslr_entropy.h"
#include "procfs.h"
#include "x86_layout.h"

#define AREA "KASLR"

static const char remedy_nokaslr[] =
	"Remove nokaslr from the kernel command line (the boot loader's entry:"
	" GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub; or the hypervisor's"
	" or loader's boot arguments) and reboot.";
static const char remedy_decompressor[] =
	"Boot through the kernel's decompressor, which is what draws the random offsets"
	" and sets the KASLR flag: boot the compressed kernel (vmlinuz, a bzImage) from a"
	" boot loader or the EFI stub. A loader that starts vmlinux directly skips it"
	" (Firecracker, QEMU -kernel with an uncompressed vmlinux through the PVH entry,"
	" cloud-hypervisor's direct kernel boot): that is the loader's or hypervisor's"
	" setting, so change it there, or boot through firmware and a boot loader.";
static const char remedy_unseen[] =
	"Nothing kvas reads shows why: check the boot log (dmesg | grep -i kaslr), the"
	" command line for nokaslr, and whether the loader boots the compressed kernel"
	" through its decompressor (a direct vmlinux boot skips it).";

/* What turns randomization back on, from why it did not run. */
static const char *kaslr_remedy(const struct audit_inputs *in, bool memory)
{
	const struct kaslr_off *k = &in->d->kaslr_off;
	const char *why = memory ? k->memory.why : k->text.why;
	bool by_boot = memory ? k->memory.by_boot : k->text.by_boot;

	if (!why)
		return remedy_unseen;
	if (!by_boot)	/* the build's reason */
		return memory ? "Run a kernel built with CONFIG_RANDOMIZE_MEMORY=y and without"
				" KASAN (distribution kernels are)." :
				"Run a kernel built with CONFIG_RANDOMIZE_BASE=y (distribution"
				" kernels are).";
	return cmdline_has(in->d->cmdline, "nokaslr") ? remedy_nokaslr : remedy_decompressor;
}

/* Active passes, inactive fails; the verdict's reason and the entropy are the evidence. */
static void add_verdict(struct audit *a, const struct audit_inputs *in, bool memory,
			const struct kaslr_verdict *v, const char *entropy, const char *why)
{
	audit_add(a, AREA, memory ? "memory-kaslr" : "text-kaslr",
		  v->state == KASLR_ACTIVE ? AUDIT_PASS :
		  v->state == KASLR_INACTIVE ? AUDIT_FAIL : AUDIT_UNKNOWN, why,
		  "%s: %s; %s", kaslr_state_name(v->state), v->why, entropy);
	audit_remedy(a, "%s", kaslr_remedy(in, memory));
}

/* The text slide's slots and what they were counted from; 0 slots: unknown. */
static uint64_t text_slots(const struct audit_inputs *in, uint64_t *image, uint64_t *align)
{
	uint64_t start = DEFAULT_PHYSICAL_START;
	const struct iomem *io = &in->d->iomem;

	*align = 2 * MB;
	*image = 0;
	kconfig_u64(&in->d->kconfig, "CONFIG_PHYSICAL_START", &start);
	kconfig_u64(&in->d->kconfig, "CONFIG_PHYSICAL_ALIGN", align);
	if (!io->kernel_code_found || !io->kernel_bss_found ||
	    io->kernel_bss.end <= io->kernel_code.start)
		return 0;
	*image = io->kernel_bss.end + 1 - io->kernel_code.start;
	return text_kaslr_slots(*image, start, *align);
}

uint64_t audit_text_kaslr_slots(const struct audit_inputs *in)
{
	uint64_t image, align;

	return text_slots(in, &image, &align);
}

static void text_kaslr(struct audit *a, const struct audit_inputs *in)
{
	const struct kaslr_verdict *v = &in->layout->text;
	uint64_t align, image, slots = text_slots(in, &image, &align);
	char ent[240] = "slots unknown (no image size in /proc/iomem)";
	bool assumed = !in->d->kconfig.loaded;

	if (image)
		snprintf(ent, sizeof(ent), "%llu slots, %.1f bits, for a %llu MiB image in %llu MiB"
			 " steps%s", (unsigned long long)slots, entropy_bits(slots),
			 (unsigned long long)(image / MB), (unsigned long long)(align / MB),
			 assumed ? " (no config: CONFIG_PHYSICAL_START and _ALIGN assumed at"
			 " their defaults, 16 and 2 MiB)" : "");
	add_verdict(a, in, false, v, ent, "Without a text slide every kernel function and"
		    " gadget is at the address of the distribution's System.map; with it, one"
		    " leaked text pointer still gives them all, so the slide is only worth its"
		    " few bits while nothing leaks.");
}

int audit_memory_kaslr_entropy(const struct audit_inputs *in, struct mem_kaslr_entropy *e)
{
	const struct kaslr_verdict *v = &in->layout->memory;
	struct mem_kaslr_input mi = {
		.levels = in->layout->levels, .page_struct_size = in->page_struct_size,
		.padding_tb = 10,
	};
	static const enum layout_field base[MEM_KASLR_NR] = {
		LF_PAGE_OFFSET_BASE, LF_VMALLOC_BASE, LF_VMEMMAP_BASE,
	};

	kconfig_u64(&in->d->kconfig, "CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING", &mi.padding_tb);
	for (int i = 0; i < in->d->iomem.nr_ram; i++)
		if (in->d->iomem.ram[i].end + 1 > mi.max_phys)
			mi.max_phys = in->d->iomem.ram[i].end + 1;
	/* bases at their defaults are no draw: then the shares are upper bounds */
	for (int i = 0; i < MEM_KASLR_NR && v->state == KASLR_ACTIVE; i++)
		if (!layout_value_exact(&in->d->layout, base[i], &mi.bases[i]))
			mi.bases[i] = 0;
	if (!mi.levels || !mi.max_phys || !mi.page_struct_size)
		return -1;
	return mem_kaslr_entropy(&mi, e);
}

static void memory_kaslr(struct audit *a, const struct audit_inputs *in)
{
	const struct kaslr_verdict *v = &in->layout->memory;
	struct mem_kaslr_entropy e;
	char ent[240] = "entropy unknown";

	if (!audit_memory_kaslr_entropy(in, &e))
		snprintf(ent, sizeof(ent), "%d-level paging; each base %s from 1 GiB slots:"
			 " direct map %llu (%.1f bits), vmalloc %llu (%.1f bits), vmemmap %llu"
			 " (%.1f bits)", in->layout->levels,
			 v->state == KASLR_ACTIVE ? "drew" : "would draw",
			 (unsigned long long)e.slots[0], entropy_bits(e.slots[0]),
			 (unsigned long long)e.slots[1], entropy_bits(e.slots[1]),
			 (unsigned long long)e.slots[2], entropy_bits(e.slots[2]));
	add_verdict(a, in, true, v, ent, "At its default, page_offset_base makes every"
		    " physical address a known kernel address: a leaked physical address"
		    " (pagemap, a DMA buffer) or a page-table entry points straight into the"
		    " direct map.");
}

void audit_kaslr(struct audit *a, const struct audit_inputs *in)
{
	text_kaslr(a, in);
	memory_kaslr(a, in);
}
