/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layout model: what each source claims about each value, and how the
 * claims are resolved into one answer. Pure logic: no libbpf, no I/O.
 */
#ifndef KVAS_LAYOUT_H
#define KVAS_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

enum layout_field {
	LF_PAGE_OFFSET_BASE,
	LF_VMALLOC_BASE,
	LF_VMEMMAP_BASE,
	LF_TEXT,
	LF_PHYS_BASE,
	LF_TEXT_SLIDE,
	LF_PAGING_LEVELS,
	LF_NR,
};

enum layout_source {
	LS_KSYM,
	LS_TRACEPOINT,
	LS_VMCOREINFO,
	LS_PAGEWALK,
	LS_ESTIMATE,
	LS_DEFAULT,
	LS_NR,
};

#define LS_MASK(src) (1u << (src))
#define LS_ALL ((1u << LS_NR) - 1)

/* Exact sources read the kernel's own state; the others are labelled guesses. */
static inline bool source_is_exact(enum layout_source src)
{
	return src != LS_ESTIMATE && src != LS_DEFAULT;
}

#define LAYOUT_NOTE_LEN 160

struct layout_claim {
	bool set;
	uint64_t value;
	char how[LAYOUT_NOTE_LEN];	/* how this source got it */
};

struct source_state {
	bool ran;			/* selected and attempted */
	bool available;			/* produced anything usable */
	char why[3 * LAYOUT_NOTE_LEN];	/* why not available, or caveats */
};

enum resolution {
	RES_UNKNOWN,		/* no source established it */
	RES_CONFIRMED,		/* two or more exact sources agree */
	RES_SINGLE,		/* one exact source */
	RES_ESTIMATE,		/* only an estimate or a default */
	RES_CONFLICT,		/* exact sources disagree: no value shown */
};

struct resolved_value {
	enum resolution res;
	uint64_t value;
	unsigned int sources;	/* LS_MASK bits that claimed this value */
	unsigned int dissent;	/* LS_MASK bits that claimed another value */
};

/* A value to show and build on: neither unknown nor in conflict. */
static inline bool resolved_known(const struct resolved_value *rv)
{
	return rv->res != RES_UNKNOWN && rv->res != RES_CONFLICT;
}

/* A value read from the kernel's own state, not an estimate or a default. */
static inline bool resolved_exact(const struct resolved_value *rv)
{
	return rv->res == RES_CONFIRMED || rv->res == RES_SINGLE;
}

struct layout {
	struct layout_claim claim[LF_NR][LS_NR];
	struct source_state source[LS_NR];
	struct resolved_value val[LF_NR];
	/* claims rejected by validation, kept to explain them */
	char rejected[LF_NR][LS_NR][LAYOUT_NOTE_LEN];
	/* memory KASLR keeps direct map < vmalloc < vmemmap; false if broken */
	bool order_ok;
};

const char *layout_field_name(enum layout_field f);
const char *layout_source_name(enum layout_source s);
int layout_source_by_name(const char *name);	/* -1 if unknown */
const char *resolution_name(enum resolution r);

/*
 * Record a claim after checking it against the architecture's invariants
 * (alignment, range for the paging mode). Returns false and records why if
 * the value cannot be right; a rejected claim never reaches the output.
 * levels may be 0 when the paging mode is not yet known.
 */
bool layout_claim(struct layout *l, enum layout_field f, enum layout_source s,
		  uint64_t value, int levels, const char *how_fmt, ...)
	__attribute__((format(printf, 6, 7)));

void source_unavailable(struct layout *l, enum layout_source s,
			const char *why_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Why a value fails the invariants for its field, or NULL when it passes. */
const char *layout_check_invariants(enum layout_field f, uint64_t value,
				    int levels);

/*
 * Resolve every field from its claims; then check the bases' order. A broken
 * order turns the three bases into conflicts: one of them must be wrong.
 */
void layout_resolve(struct layout *l);

/* The resolved value of f when resolved_known() / resolved_exact(). */
bool layout_value_known(const struct layout *l, enum layout_field f, uint64_t *value);
bool layout_value_exact(const struct layout *l, enum layout_field f, uint64_t *value);

/* Best value known so far for f from exact sources, for sources that need it. */
bool layout_known(const struct layout *l, enum layout_field f, uint64_t *value);

/* The non-randomized default of a field, for "offset from default". */
bool layout_default_of(enum layout_field f, int levels, uint64_t *value);

#endif
