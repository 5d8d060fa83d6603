// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel_btf.h"
#include "kread.h"
#include "page_layout_probe.h"
#include "page_read.h"

#define KERNEL_PAGE_SIZE	4096

void page_reader_init(struct page_reader *pr, struct kread *kr, uint64_t vmemmap_base,
		      const struct vmcoreinfo *vi)
{
	uint64_t v;

	memset(pr, 0, sizeof(*pr));
	pr->kr = kr;
	pr->vmemmap_base = vmemmap_base;
	if (!vi)
		return;
	/* x86-64 always builds SPARSEMEM_EXTREME: mem_section is an array of root pointers */
	pr->have_sections = vmcoreinfo_get_u64(vi, "SYMBOL(mem_section)", &pr->mem_section) &&
			    vmcoreinfo_get_u64(vi, "LENGTH(mem_section)", &pr->nr_roots) &&
			    vmcoreinfo_get_u64(vi, "SIZE(mem_section)", &pr->section_struct_size) &&
			    vmcoreinfo_get_u64(vi, "OFFSET(mem_section.section_mem_map)",
					       &pr->section_map_off) &&
			    vmcoreinfo_get_u64(vi, "NUMBER(SECTION_SIZE_BITS)", &v) &&
			    pr->section_struct_size && v > 12 && v < 64;
	if (pr->have_sections) {
		pr->section_bits = (unsigned int)v;
		pr->per_root = KERNEL_PAGE_SIZE / pr->section_struct_size;
	}
	if (!vmcoreinfo_get_u64(vi, "SYMBOL(node_data)", &pr->node_data) ||
	    !vmcoreinfo_get_u64(vi, "LENGTH(node_data)", &pr->nr_node_data))
		pr->node_data = 0;
	if (!vmcoreinfo_get_u64(vi, "SYMBOL(contig_page_data)", &pr->contig_page_data))
		pr->contig_page_data = 0;
	if (!vmcoreinfo_get_u64(vi, "SYMBOL(node_online_map)", &pr->node_online_map))
		pr->node_online_map = 0;
}

void page_memmap(struct page_reader *pr, uint64_t pfn, struct memmap_info *mm)
{
	struct section_pos pos;
	uint64_t root;

	memset(mm, 0, sizeof(*mm));
	if (!pr->have_sections) {
		snprintf(mm->why, sizeof(mm->why), "the kernel's VMCOREINFO does not publish mem_section");
		return;
	}
	section_of_pfn(pfn, pr->section_bits, pr->per_root, &pos);
	mm->section_nr = pos.nr;
	if (pos.root >= pr->nr_roots) {
		mm->state = MEMMAP_NONE;
		mm->root_absent = true;
		return;
	}
	if (kread_u64(pr->kr, pr->mem_section + pos.root * 8, &root)) {
		snprintf(mm->why, sizeof(mm->why), "mem_section[%llu] not readable",
			 (unsigned long long)pos.root);
		return;
	}
	if (!root) {
		mm->state = MEMMAP_NONE;
		mm->root_absent = true;
		return;
	}
	if (kread_u64(pr->kr, root + pos.index * pr->section_struct_size + pr->section_map_off,
		      &mm->section_mem_map)) {
		snprintf(mm->why, sizeof(mm->why), "mem_section %llu not readable",
			 (unsigned long long)pos.nr);
		return;
	}
	mm->state = mm->section_mem_map & SECTION_HAS_MEM_MAP ? MEMMAP_PRESENT : MEMMAP_NONE;
}

static uint64_t read_ptr(struct kread *kr, uint64_t addr, int *err)
{
	uint64_t v = 0;

	if (!*err)
		*err = kread_u64(kr, addr, &v);
	return v;
}

/* A pglist_data's span and its zones', named by enum zone_type. */
struct zone_names {
	const char *name[PAGE_ZONES_MAX];
	int64_t nr;
};

static void scan_zone(const char *name, int64_t value, void *arg)
{
	struct zone_names *z = arg;

	if (!strcmp(name, "__MAX_NR_ZONES"))
		z->nr = value;
	else if (value >= 0 && value < PAGE_ZONES_MAX && !z->name[value])
		z->name[value] = strncmp(name, "ZONE_", 5) ? name : name + 5;
}

static int read_node(struct page_reader *pr, int nid, uint64_t pgdat, const struct zone_names *zn)
{
	struct page_ranges *r = &pr->ranges;
	uint32_t o_start, o_span, o_zones, zsize, oz_start, oz_span;
	struct pfn_range *n;
	int err = 0;

	if (!kernel_field_offset("pglist_data", "node_start_pfn", &o_start) ||
	    !kernel_field_offset("pglist_data", "node_spanned_pages", &o_span) ||
	    !kernel_field_offset("pglist_data", "node_zones", &o_zones) ||
	    !kernel_struct_size("zone", &zsize) ||
	    !kernel_field_offset("zone", "zone_start_pfn", &oz_start) ||
	    !kernel_field_offset("zone", "spanned_pages", &oz_span))
		return -ENOENT;
	if (r->nr_nodes >= PAGE_NODES_MAX)
		return 0;
	n = &r->nodes[r->nr_nodes++];
	n->node = nid;
	n->start_pfn = read_ptr(pr->kr, pgdat + o_start, &err);
	n->spanned = read_ptr(pr->kr, pgdat + o_span, &err);
	for (int64_t z = 0; z < zn->nr && z < PAGE_ZONES_MAX && !err; z++) {
		uint64_t zone = pgdat + o_zones + (uint64_t)z * zsize;
		struct pfn_range *zr = &r->zones[r->nr_zones++];

		zr->node = nid;
		zr->name = zn->name[z];
		zr->start_pfn = read_ptr(pr->kr, zone + oz_start, &err);
		zr->spanned = read_ptr(pr->kr, zone + oz_span, &err);
	}
	return err;
}

static void read_ranges(struct page_reader *pr)
{
	struct zone_names zn = { .nr = 0 };
	uint64_t online[PAGE_NODES_MAX / 64] = { 0 };
	int err = 0;

	pr->ranges_tried = true;
	if (!kernel_enum_each("zone_type", scan_zone, &zn) || zn.nr <= 0)
		return;
	if (!pr->node_data) {
		pr->ranges_ok = pr->contig_page_data &&
				!read_node(pr, 0, pr->contig_page_data, &zn);
		return;
	}
	/* the online nodes' bits; without the map, every node_data[] slot that is set */
	if (!pr->node_online_map ||
	    kread_bytes(pr->kr, pr->node_online_map, online, sizeof(online)))
		memset(online, 0xff, sizeof(online));
	for (int nid = 0; nid < PAGE_NODES_MAX && (uint64_t)nid < pr->nr_node_data && !err; nid++) {
		uint64_t pgdat;

		if (!(online[nid / 64] >> (nid % 64) & 1))
			continue;
		pgdat = read_ptr(pr->kr, pr->node_data + (uint64_t)nid * 8, &err);
		if (!err && pgdat)
			err = read_node(pr, nid, pgdat, &zn);
	}
	pr->ranges_ok = !err && pr->ranges.nr_nodes;
}

/* The struct page, and the folio at its head when it is large. */
static int read_bytes(struct page_reader *pr, uint64_t pfn, uint8_t *page, uint8_t *folio,
		      struct page_info *pi)
{
	const struct page_layout *l = &pr->layout;
	uint64_t addr = pr->vmemmap_base + pfn * l->page_size;
	uint64_t head;
	uint32_t folio_len;
	int err;

	err = kread_bytes(pr->kr, addr, page, l->page_size);
	if (err)
		return err;
	memcpy(&head, page + l->off_compound_head, sizeof(head));
	head = page_compound_head(head, addr, l->page_size);
	if (!head)
		memcpy(folio, page, l->page_size);
	else if ((err = kread_bytes(pr->kr, head, folio, l->page_size)))
		return err;
	page_decode(l, pfn, addr, page, folio, pi);
	if (!pi->large)
		return 0;
	/* a small folio's struct may reach past its pages: read as much as is there */
	if (!kernel_struct_size("folio", &folio_len) || folio_len > FOLIO_READ_MAX)
		folio_len = FOLIO_READ_MAX;
	while (folio_len > l->page_size &&
	       kread_bytes(pr->kr, pi->head_addr, folio, folio_len))
		folio_len -= l->page_size;
	memset(folio + folio_len, 0, FOLIO_READ_MAX - folio_len);
	page_decode(l, pfn, addr, page, folio, pi);
	return 0;
}

static void follow_inode(struct page_reader *pr, struct page_facts *pf)
{
	uint32_t o_host, o_ino, o_sb, o_dev;
	uint64_t host, sb;
	uint32_t dev;
	int err = 0;

	if (!kernel_field_offset("address_space", "host", &o_host) ||
	    !kernel_field_offset("inode", "i_ino", &o_ino))
		return;
	host = read_ptr(pr->kr, pf->info.mapping + o_host, &err);
	if (err || !host)
		return;
	pf->inode = read_ptr(pr->kr, host + o_ino, &err);
	pf->have_inode = !err;
	if (!pf->have_inode || !kernel_field_offset("inode", "i_sb", &o_sb) ||
	    !kernel_field_offset("super_block", "s_dev", &o_dev))
		return;
	sb = read_ptr(pr->kr, host + o_sb, &err);
	if (!err && sb && !kread_bytes(pr->kr, sb + o_dev, &dev, sizeof(dev)))
		pf->dev = dev;
}

static void follow_memcg(struct page_reader *pr, struct page_facts *pf)
{
	uint32_t o_objcg, o_id, o_cgroup, o_kn, o_knid;
	uint64_t memcg = pf->info.memcg_ptr, cgroup, kn;
	int err = 0;

	if (pf->info.memcg_kind == MEMCG_KMEM) {
		if (!kernel_field_offset("obj_cgroup", "memcg", &o_objcg))
			return;
		memcg = read_ptr(pr->kr, memcg + o_objcg, &err);
	} else if (pf->info.memcg_kind != MEMCG_PLAIN) {
		return;
	}
	if (err || !memcg || !kernel_field_offset("mem_cgroup", "css.id", &o_id) ||
	    kread_bytes(pr->kr, memcg + o_id, &pf->memcg_id, sizeof(pf->memcg_id)))
		return;
	pf->have_memcg_id = true;
	/* cgroup_ino(): the cgroup's kernfs node id, as /proc/kpagecgroup reports it */
	if (!kernel_field_offset("mem_cgroup", "css.cgroup", &o_cgroup) ||
	    !kernel_field_offset("cgroup", "kn", &o_kn) ||
	    !kernel_field_offset("kernfs_node", "id", &o_knid))
		return;
	cgroup = read_ptr(pr->kr, memcg + o_cgroup, &err);
	kn = cgroup ? read_ptr(pr->kr, cgroup + o_kn, &err) : 0;
	if (kn)
		pf->memcg_ino = read_ptr(pr->kr, kn + o_knid, &err);
	if (err)
		pf->memcg_ino = 0;
}

void page_read(struct page_reader *pr, uint64_t pfn, struct page_facts *pf)
{
	uint8_t page[FOLIO_READ_MAX / 2], folio[FOLIO_READ_MAX];
	int err;

	memset(pf, 0, sizeof(*pf));
	if (!pr->layout_tried) {
		pr->layout_tried = true;
		pr->layout_ok = page_layout_probe(&pr->layout, pr->layout_why,
						  sizeof(pr->layout_why));
	}
	if (!pr->layout_ok) {
		snprintf(pf->error, sizeof(pf->error), "%s", pr->layout_why);
		return;
	}
	err = read_bytes(pr, pfn, page, folio, &pf->info);
	if (err) {
		snprintf(pf->error, sizeof(pf->error), "cannot read the struct page at 0x%llx: %s",
			 (unsigned long long)(pr->vmemmap_base + pfn * pr->layout.page_size),
			 strerror(-err));
		return;
	}
	pf->decoded = true;
	pf->layout = &pr->layout;
	if (!pr->ranges_tried)
		read_ranges(pr);
	if (pr->ranges_ok)
		page_locate(&pr->ranges, pfn, &pf->info.node, &pf->info.zone);
	if (pf->info.mapping_kind == MAP_FILE)
		follow_inode(pr, pf);
	follow_memcg(pr, pf);
}
