/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for what the kernel publishes in /proc and /sys. Each parser takes
 * an open stream so the unit tests feed it text; kernel/procfs_read.h opens
 * the real files.
 */
#ifndef KVAS_PROCFS_H
#define KVAS_PROCFS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define IOMEM_MAX_RANGES 256

struct phys_range {
	uint64_t start, end;	/* inclusive, as /proc/iomem prints */
};

/* A top-level /proc/iomem resource. */
struct iomem_resource {
	struct phys_range range;
	char name[48];
};

struct iomem {
	struct phys_range ram[IOMEM_MAX_RANGES];	/* top-level "System RAM" */
	int nr_ram;
	struct iomem_resource top[IOMEM_MAX_RANGES];	/* every top-level one */
	int nr_top;
	bool kernel_code_found;
	struct phys_range kernel_code;
	bool kernel_bss_found;		/* its end is the image's end */
	struct phys_range kernel_bss;
	bool censored;		/* all zeros: not readable with these privileges */
};

int iomem_parse(FILE *f, struct iomem *io);

/*
 * The innermost /proc/iomem resource containing pa, as "name
 * [start-end]" in buf. Returns 0, or -ENOENT when none contains it.
 */
int iomem_resource_of(FILE *f, uint64_t pa, char *buf, size_t len);

/* The last byte of top-level System RAM (the kernel's max_pfn is the page after it); 0: none. */
uint64_t iomem_ram_end(const struct iomem *io);

/* Whether [pa, pa + len) lies inside one top-level System RAM range. */
bool iomem_is_ram(const struct iomem *io, uint64_t pa, size_t len);

/* What /proc/PID/status says about a task (PID may be any thread's id). */
struct proc_status {
	char name[16];
	char state;		/* R S D T t Z X ... */
	int tgid;		/* the process the thread belongs to */
	int threads;
	int kthread;		/* "Kthread:" 1 or 0; -1: older kernels do not print it */
};

int proc_status_parse(FILE *f, struct proc_status *st);

struct direct_map_stats {
	bool have_sizes, have_splits, have_collapses;
	uint64_t kb_4k, kb_2m, kb_1g;			/* /proc/meminfo DirectMap* */
	uint64_t level2_splits, level3_splits;		/* /proc/vmstat */
	uint64_t level2_collapses, level3_collapses;
};

int meminfo_parse_direct_map(FILE *f, struct direct_map_stats *st);
int vmstat_parse_direct_map(FILE *f, struct direct_map_stats *st);

/*
 * Look SYMBOL up in kallsyms text. Returns 1 and the address when found with a
 * non-zero address, 0 when absent, and sets *censored when the file shows
 * only zeros (kptr_restrict).
 */
int kallsyms_lookup(FILE *f, const char *symbol, uint64_t *addr, bool *censored);

/* Whether WORD stands alone in a kernel command line. */
bool cmdline_has(const char *cmdline, const char *word);

/* The lowest vmalloc address in /proc/vmallocinfo that is not a module's. */
int vmallocinfo_lowest(FILE *f, uint64_t *addr);

/* x86 boot_params: loadflags bit KASLR_FLAG, set by the decompressor. */
#define BOOT_PARAMS_LOADFLAGS_OFFSET 0x211
#define BOOT_PARAMS_KASLR_FLAG (1 << 1)
int boot_params_kaslr_flag(const char *path, bool *set);

/* Read a whole small file into buf (NUL-terminated); -errno on failure. */
int read_small_file(const char *path, char *buf, size_t len);

#endif
