/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page decoded as the running kernel keeps it. The layout (field
 * offsets, the pageflags and pagetype enums) comes from the kernel's BTF
 * (src/kernel/page_layout_probe.c); here is only the arithmetic on the bytes read,
 * so it is pure and unit-tested.
 */
#ifndef KVAS_PAGE_DECODE_H
#define KVAS_PAGE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_FLAGS_MAX		64
#define PAGE_TYPES_MAX		16
#define PAGE_ZONES_MAX		8
#define PAGE_NODES_MAX		64
/* struct folio spans the head and the next three struct pages on 6.18 */
#define FOLIO_READ_MAX		512

/* Where the folio keeps its order, by kernel generation (probed in BTF). */
enum folio_order_at {
	ORDER_UNKNOWN,
	ORDER_FLAGS_1,		/* folio->_flags_1 & 0xff (6.6 and later) */
	ORDER_FOLIO_ORDER,	/* folio->_folio_order, a byte (6.1) */
	ORDER_COMPOUND_ORDER,	/* page[1].compound_order, a byte (before folios) */
};

/* How the kernel keeps a page's type apart from its flags. */
enum page_type_scheme {
	PTYPE_NONE,		/* not in this kernel's BTF (macros, 6.1) */
	PTYPE_TOP_BYTE,		/* enum pagetype PGTY_*: page_type >> 24 (6.12 and later) */
	PTYPE_INVERTED_BITS,	/* enum pagetype PG_* with PAGE_TYPE_BASE: a clear bit (6.9-6.11) */
};

struct named_value {
	const char *name;	/* points into the kernel's BTF strings */
	int64_t value;
};

/* What decoding needs, found in the kernel's BTF: byte offsets are from the page. */
struct page_layout {
	uint32_t page_size;			/* sizeof(struct page) */
	uint32_t off_flags, off_compound_head, off_mapping;
	uint32_t off_mapcount, off_refcount;
	bool have_memcg;
	uint32_t off_memcg;			/* page->memcg_data */
	uint64_t memcg_flag_mask;		/* the low bits of memcg_data that are flags */
	uint64_t memcg_kmem, memcg_objexts;	/* MEMCG_DATA_KMEM, _OBJEXTS (or _OBJCGS) */

	unsigned int nr_pageflags;		/* __NR_PAGEFLAGS: the bits of flags that are flags */
	const char *flag_names[PAGE_FLAGS_MAX];	/* the first enumerator of each bit */
	int head_bit, slab_bit;			/* PG_head, PG_slab (-1: absent) */

	enum page_type_scheme type_scheme;
	unsigned int nr_types;
	struct named_value types[PAGE_TYPES_MAX];
	uint32_t type_base;			/* PAGE_TYPE_BASE, inverted scheme */

	/* the folio, at its head: byte offsets from the head page */
	enum folio_order_at order_at;
	uint32_t off_order;
	bool have_entire_mapcount, have_large_mapcount;
	uint32_t off_entire_mapcount;		/* _entire_mapcount, or page[1].compound_mapcount */
	uint32_t off_large_mapcount;		/* _large_mapcount: every mapping of the folio */
};

enum mapping_kind {
	MAP_NONE,		/* mapping is NULL */
	MAP_ANON,		/* low bit PAGE_MAPPING_ANON: an anon_vma */
	MAP_KSM,		/* both low bits: a KSM stable node */
	MAP_MOVABLE,		/* bit 1 alone: movable_operations (non-LRU movable) */
	MAP_FILE,		/* an address_space */
	MAP_SLAB,		/* the field belongs to the slab, not a mapping */
	MAP_NOT_MAPPING,	/* the page has a type: the field means something else */
};

enum memcg_kind { MEMCG_NONE, MEMCG_PLAIN, MEMCG_KMEM, MEMCG_OBJEXTS };

/* A node's or zone's page frames: [start_pfn, start_pfn + spanned). */
struct pfn_range {
	uint64_t start_pfn, spanned;
	int node;			/* the node it is (for a zone: the node it is in) */
	const char *name;		/* a zone's name (enum zone_type); NULL for a node */
};

struct page_ranges {
	unsigned int nr_nodes, nr_zones;
	struct pfn_range nodes[PAGE_NODES_MAX];
	struct pfn_range zones[PAGE_NODES_MAX * PAGE_ZONES_MAX];
};

struct page_info {
	uint64_t pfn, page_addr;
	uint64_t flags;			/* the page's own flags word */
	bool tail;			/* compound_head's low bit: a tail page */
	uint64_t head_addr, head_pfn;	/* the folio's head (the page itself if not a tail) */
	uint64_t folio_flags;		/* the head's flags */
	bool large;			/* a compound page / large folio (PG_head on the head) */
	bool order_known;
	unsigned int order;
	int32_t refcount;		/* this page's _refcount (0 on tails) */
	int32_t folio_refcount;		/* the head's */
	bool has_type;			/* _mapcount holds a page type, not a count */
	const char *type_name;		/* "buddy", "slab"... when has_type */
	uint32_t page_type;		/* the raw page_type / _mapcount word */
	int32_t mapcount;		/* as the kernel's page_mapcount(); 0 with a type */
	bool have_entire, have_large;
	int32_t entire_mapcount;	/* PMD (whole-folio) mappings */
	int32_t large_mapcount;		/* every mapping of any page of the folio */
	enum mapping_kind mapping_kind;
	uint64_t mapping;		/* the raw field, flag bits included */
	enum memcg_kind memcg_kind;
	uint64_t memcg_data;		/* the raw field */
	uint64_t memcg_ptr;		/* mem_cgroup or obj_cgroup *, flag bits cleared */
	int node;			/* -1: no node spans the pfn (or unknown) */
	const char *zone;		/* NULL: no zone spans it */
};

/* Whether the kernel has a memmap (struct pages) for a pfn's section. */
enum memmap_state {
	MEMMAP_UNKNOWN,		/* mem_section not readable (no vmcoreinfo) */
	MEMMAP_NONE,		/* the section is absent or has no mem_map */
	MEMMAP_PRESENT,		/* SECTION_HAS_MEM_MAP: every pfn in it has a struct page */
};

struct memmap_info {
	enum memmap_state state;
	uint64_t section_nr;
	uint64_t section_mem_map;	/* the raw word; 0 when the section root is absent */
	bool root_absent;		/* mem_section[root] is NULL: no section near it exists */
	char why[96];			/* MEMMAP_UNKNOWN: why */
};

/* A decoded page and what kvas followed from it through kernel pointers. */
struct page_facts {
	bool decoded;
	char error[320];		/* set: no decode, and why */
	const struct page_layout *layout;	/* what decoded it: the flags' names */
	struct page_info info;
	bool have_inode;		/* file: mapping->host */
	uint64_t inode;			/* ->i_ino */
	uint32_t dev;			/* ->i_sb->s_dev, the kernel's encoding */
	bool have_memcg_id;
	uint32_t memcg_id;		/* mem_cgroup->css.id */
	uint64_t memcg_ino;		/* its cgroup's inode (what /proc/kpagecgroup shows) */
};

/* Decode the page's bytes and the folio's (read at the head) with the layout. */
void page_decode(const struct page_layout *l, uint64_t pfn, uint64_t page_addr,
		 const uint8_t *page, const uint8_t *folio, struct page_info *pi);

/*
 * The head of the folio of the struct page at page_addr, from its
 * compound_head word (compound_info on 7.x): 0 if not a tail. Bit 0 marks a
 * tail; the rest is the head's address, or (7.x, a struct page of a power
 * of two bytes) a mask that the tail's own address is ANDed with. A
 * pointer is a head at most a 1 GiB folio before the page; a mask's value
 * less its bit 0 lies above every struct page, so each reads as one only.
 */
uint64_t page_compound_head(uint64_t info, uint64_t page_addr, uint32_t page_size);

/* The flag bits of flags (only the low nr_pageflags), by name: "PG_locked PG_lru". */
const char *page_flags_str(const struct page_layout *l, uint64_t flags, char *buf, size_t len);

/* The page type's name ("buddy", "slab", "table"...) from a page_type word, or NULL. */
const char *page_type_name(const struct page_layout *l, uint32_t page_type);

/* Which node and zone span pfn. */
void page_locate(const struct page_ranges *r, uint64_t pfn, int *node, const char **zone);

const char *mapping_kind_name(enum mapping_kind k);
const char *memcg_kind_name(enum memcg_kind k);

/*
 * SPARSEMEM: which mem_section holds pfn, as the kernel's pfn_to_section_nr
 * (SECTION_SIZE_BITS from vmcoreinfo), and the root and index of it in
 * SPARSEMEM_EXTREME's two-level mem_section[][] (sections_per_root of them
 * fill one page: PAGE_SIZE / sizeof(struct mem_section)).
 */
struct section_pos {
	uint64_t nr, root, index;
};
void section_of_pfn(uint64_t pfn, unsigned int section_size_bits, uint64_t sections_per_root,
		    struct section_pos *pos);

/* include/linux/mmzone.h: section_mem_map's low bits (stable since SPARSEMEM_EXTREME). */
#define SECTION_MARKED_PRESENT	(1ull << 0)
#define SECTION_HAS_MEM_MAP	(1ull << 1)
#define SECTION_IS_ONLINE	(1ull << 2)
#define SECTION_IS_EARLY	(1ull << 3)

#endif
