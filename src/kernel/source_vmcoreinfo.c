// SPDX-License-Identifier: GPL-2.0
/*
 * The vmcoreinfo source. /sys/kernel/vmcoreinfo gives only the physical
 * address of the VMCOREINFO note; kvas reads the note itself at
 * page_offset_base + PA, through the direct map, which is the direct map's
 * reason to exist in miniature. Finding a valid note there also confirms
 * page_offset_base.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "layout_probe.h"
#include "kread.h"
#include "procfs.h"
#include "x86_layout.h"

#define NOTE_READ_MAX 8192

static void claim_number(struct discovery *d, struct layout *out,
			 enum layout_field f, const char *key, int levels)
{
	uint64_t v;

	if (vmcoreinfo_get_u64(&d->vmcoreinfo, key, &v))
		layout_claim(out, f, LS_VMCOREINFO, v, levels, "%s", key);
}

int source_vmcoreinfo(struct discovery *d)
{
	struct layout *out = source_target(d, LS_VMCOREINFO);
	static unsigned char note[NOTE_READ_MAX];
	uint64_t base, len, v;
	struct utsname u;
	const char *why;
	char release[80];
	int levels = 0;

	if (!d->vmcoreinfo_sysfs) {
		source_unavailable(out, LS_VMCOREINFO,
				   "/sys/kernel/vmcoreinfo missing or empty");
		return -ENOENT;
	}
	if (!discovery_value(d, LF_PAGE_OFFSET_BASE, &base)) {
		source_unavailable(out, LS_VMCOREINFO,
				   "page_offset_base unknown: cannot reach the note through the direct map");
		return -ENOENT;
	}
	if (!discovery_kread(d)) {
		source_unavailable(out, LS_VMCOREINFO, "cannot load the BPF reader: %s",
				   strerror(errno));
		return -errno;
	}
	len = d->vmcoreinfo_size < sizeof(note) ? d->vmcoreinfo_size : sizeof(note);
	if (kread_bytes(d->kr, base + d->vmcoreinfo_pa, note, len) ||
	    vmcoreinfo_parse_note(note, len, &d->vmcoreinfo, &why)) {
		source_unavailable(out, LS_VMCOREINFO,
				   "no VMCOREINFO note at 0x%llx (page_offset_base + 0x%llx)",
				   (unsigned long long)(base + d->vmcoreinfo_pa),
				   (unsigned long long)d->vmcoreinfo_pa);
		return -EINVAL;
	}
	/* A note from another kernel cannot be there by chance: check it is ours. */
	if (!uname(&u) && vmcoreinfo_get(&d->vmcoreinfo, "OSRELEASE", release,
					 sizeof(release)) && strcmp(release, u.release)) {
		source_unavailable(out, LS_VMCOREINFO,
				   "note OSRELEASE %s is not the running kernel %s",
				   release, u.release);
		return -EINVAL;
	}
	d->have_vmcoreinfo = true;
	layout_claim(out, LF_PAGE_OFFSET_BASE, LS_VMCOREINFO, base, 0,
		     "the note is at base + 0x%llx, as /sys/kernel/vmcoreinfo says",
		     (unsigned long long)d->vmcoreinfo_pa);

	if (vmcoreinfo_get_u64(&d->vmcoreinfo, "NUMBER(pgtable_l5_enabled)", &v)) {
		levels = v ? 5 : 4;
		layout_claim(out, LF_PAGING_LEVELS, LS_VMCOREINFO, levels, 0,
			     "NUMBER(pgtable_l5_enabled)=%llu", (unsigned long long)v);
	}
	claim_number(d, out, LF_PHYS_BASE, "NUMBER(phys_base)", levels);
	claim_number(d, out, LF_VMALLOC_BASE, "NUMBER(VMALLOC_START)", levels);
	claim_number(d, out, LF_VMEMMAP_BASE, "SYMBOL(vmemmap)", levels);
	claim_number(d, out, LF_TEXT, "SYMBOL(_stext)", levels);
	claim_number(d, out, LF_TEXT_SLIDE, "KERNELOFFSET", levels);
	if (vmcoreinfo_get_u64(&d->vmcoreinfo, "NUMBER(sme_mask)", &v))
		d->sme_mask = v;
	if (vmcoreinfo_get_u64(&d->vmcoreinfo, "NUMBER(KERNEL_IMAGE_SIZE)", &v))
		d->kernel_image_size = v;
	return 0;
}
