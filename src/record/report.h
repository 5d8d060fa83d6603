/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas report's model: what perf report --stdio would say of a recording's
 * page faults and TLB events, as tables of counts keyed like perf's --sort,
 * the hottest call chains and pages, and a time histogram. Built from a
 * struct recording (src/record/recording.h) alone, so a report made on
 * another machine says the same. The printers (report_text.c,
 * report_json.c) read only the report; its strings point into the
 * recording, which must outlive it. Pure logic.
 */
#ifndef KVAS_REPORT_H
#define KVAS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "recording.h"

/* What a row of a table is keyed by: --sort's words (report_key_name). */
enum report_key {
	RK_PID, RK_TID, RK_COMM, RK_CONTAINER, RK_REGION, RK_PAGE_SIZE,
	RK_CLASS, RK_REASON, RK_SYM, RK_KIND, RK_NR,
};
#define REPORT_MAX_KEYS RK_NR

/* A key's value for an event it does not apply to (a TLB event's symbol). */
#define REPORT_NA "-"

/* What a frame past a cut chain's end reads. */
#define REPORT_USER_CUT "[chain cut: no frame pointers past here]"
#define REPORT_KERNEL_CUT "[kernel chain cut: longer than recorded]"

struct report_opts {
	enum report_key sort[REPORT_MAX_KEYS];	/* the main table's keys */
	unsigned int nr_sort;
	unsigned int rows;			/* rows printed per table (and chains, pages) */
	unsigned int buckets;			/* of the time histogram */
	const char *cut_short;			/* the reader's why, when the file was cut short */
};

/*
 * A row: a value per key (a chain: a frame name per frame, leaf first),
 * and how many events have them. values point into one allocation.
 */
struct report_row {
	char **values;
	unsigned int nr_values;
	uint64_t count;
};

/*
 * A table: every distinct row, most events first (ties by values, so
 * output is stable). total counts the events the keys apply to (a table
 * by TLB reason counts TLB events); percentages are of it.
 */
struct report_table {
	enum report_key keys[REPORT_MAX_KEYS];
	unsigned int nr_keys;
	uint64_t total;
	struct report_row *rows;
	size_t nr_rows;
};

/* The single-key tables every report has, in the order printed. */
enum report_by {
	RB_PROCESS, RB_THREAD, RB_CONTAINER, RB_REGION, RB_PAGE_SIZE, RB_CLASS,
	RB_REASON, RB_SYMBOL, RB_NR,
};

struct report_page {
	uint32_t pid;
	char comm[16];
	uint64_t vpage;			/* the virtual 4K page */
	uint64_t pa_page;		/* its physical page (of page_shift's size); 0: not translated */
	uint8_t page_shift;		/* 0: none of its faults was translated */
	uint64_t count;
};

struct report_histogram {
	uint64_t start_ns;		/* CLOCK_MONOTONIC of the first bucket */
	uint64_t bucket_ns;
	unsigned int nr;
	uint64_t *counts;
};

/* A counter the recording may lack (an older kvas record, a cut file). */
struct report_count {
	bool known;
	uint64_t value;
};

struct report_summary {
	const char *command, *target, *event_list, *stacks, *kernel_release, *hostname,
		   *machine, *started_at, *kvas_version, *exit_status;
	struct report_count duration_ns, events_seen, sampled_away, lost, sample_every, freq;
	uint64_t events;		/* in the file */
	uint64_t by_kind[VM_NR_TRACED];
	uint64_t with_stacks, translated;
	const char *cut_short;		/* the reader's why; NULL: the file is whole */
	bool tlb_names;			/* the recording named the TLB reasons */
	bool layout_known;		/* kernel regions could be told apart */
};

/* A row of the direct-map changes' tables. */
struct report_dmap_row {
	const char *name;		/* the function, the effect, or the process's comm (into the recording) */
	uint32_t pid;			/* by process */
	uint64_t changes, pages;
};

struct report_dmap_table {
	struct report_dmap_row *rows;	/* most changes first */
	size_t nr_rows;
};

/* The direct-map changes: how record hooked them, or why it could not, and who made them. */
struct report_dmap {
	const char *status;		/* meta dmap_changes; NULL: not in the recording (an older kvas) */
	bool recorded;			/* hooked ("fentry", "kprobe"): the counts mean something */
	struct report_count lost;
	uint64_t changes, pages;
	struct report_dmap_table by_function, by_effect, by_process;
};

#define REPORT_MAX_WARNINGS 5

struct report {
	struct report_summary summary;
	char *warnings[REPORT_MAX_WARNINGS];
	unsigned int nr_warnings;
	struct report_table main;	/* by --sort's keys, all events */
	struct report_table by[RB_NR];
	struct report_table chains;	/* events with stacks, by call chain */
	struct report_page *pages;	/* faults by page, most first */
	size_t nr_pages;
	uint64_t page_faults;		/* the pages' total */
	struct report_histogram histogram;
	struct report_dmap dmap;
	unsigned int rows;		/* what the printers show of each table */
};

/* "pid", ...; and back: -1 for a word that is no key. */
const char *report_key_name(enum report_key k);
int report_key_by_name(const char *name);
/* A --sort list into o: 0, or -1 with the bad word in bad. */
int report_parse_sort(const char *list, struct report_opts *o, char *bad, size_t len);
/* What a report's title says of a table: "Process", "Memory region", ... */
const char *report_key_title(enum report_key k);
/* The key of each single-key table. */
enum report_key report_by_key(enum report_by b);

/* 0, or -ENOMEM (rep then holds nothing to free). */
int report_build(const struct recording *r, const struct report_opts *o, struct report *rep);
void report_free(struct report *rep);

/* The printers: 0, or -EIO. */
int report_print_text(const struct report *rep, FILE *out);
int report_print_json(const struct report *rep, FILE *out);

#endif
