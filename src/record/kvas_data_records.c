// SPDX-License-Identifier: GPL-2.0
/*
 * The kvas.data records' payloads, parsed into a recording (the format:
 * kvas_data.h; the framing around them: kvas_data_read.c). Every field is
 * read through a cursor bounded by its record's end; nothing the file
 * declares sizes an allocation beyond what the record itself holds.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kvas_data.h"
#include "kvas_data_records.h"

/* One record's payload, read field by field; a field past its end fails. */
struct kd_cursor {
	const uint8_t *bytes;
	size_t pos, end;
	bool bad;			/* the record is corrupt: fault says why */
	char fault[96];
};

static void fail(struct kd_cursor *c, const char *fmt, ...)
{
	va_list ap;

	if (c->bad)
		return;
	c->bad = true;
	va_start(ap, fmt);
	vsnprintf(c->fault, sizeof(c->fault), fmt, ap);
	va_end(ap);
}

uint64_t kd_get_le(const uint8_t *b, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static bool take(struct kd_cursor *c, size_t n, const uint8_t **b)
{
	if (c->bad)
		return false;
	if (n > c->end - c->pos) {
		fail(c, "a field runs past the record's end");
		return false;
	}
	*b = c->bytes + c->pos;
	c->pos += n;
	return true;
}

static uint64_t get_field(struct kd_cursor *c, size_t n)
{
	const uint8_t *b;

	return take(c, n, &b) ? kd_get_le(b, n) : 0;
}

static uint8_t get_u8(struct kd_cursor *c)	{ return (uint8_t)get_field(c, 1); }
static uint16_t get_u16(struct kd_cursor *c)	{ return (uint16_t)get_field(c, 2); }
static uint32_t get_u32(struct kd_cursor *c)	{ return (uint32_t)get_field(c, 4); }
static uint64_t get_u64(struct kd_cursor *c)	{ return get_field(c, 8); }

/*
 * A string, NUL-terminated, in *s (NULL when absent); false when it runs
 * past the record (c->bad) or memory ran out (c->bad unset).
 */
static bool get_str(struct kd_cursor *c, char **s)
{
	uint32_t n = get_u32(c);
	const uint8_t *b;

	*s = NULL;
	if (c->bad)
		return false;
	if (n == KD_ABSENT_STRING)
		return true;
	if (n > c->end - c->pos) {
		fail(c, "a string's length %u runs past the record's end", n);
		return false;
	}
	take(c, n, &b);
	*s = malloc((size_t)n + 1);
	if (!*s)
		return false;
	memcpy(*s, b, n);
	(*s)[n] = '\0';
	return true;
}

/* A string into a fixed array, cut to fit (comm, perms). */
static bool get_fixed_str(struct kd_cursor *c, char *dst, size_t size)
{
	char *s;

	memset(dst, 0, size);
	if (!get_str(c, &s))
		return false;
	if (s)
		strncpy(dst, s, size - 1);
	free(s);
	return true;
}

/*
 * Room for one more element: arrays double as records arrive, so their
 * size follows the file's, never a count the file declares.
 */
static void *grow(void **array, size_t nr, size_t *cap, size_t elem)
{
	if (nr == *cap) {
		size_t want = *cap ? *cap * 2 : 16;
		void *bigger;

		if (want > SIZE_MAX / elem)
			return NULL;
		bigger = realloc(*array, want * elem);
		if (!bigger)
			return NULL;
		*array = bigger;
		*cap = want;
	}
	return memset((char *)*array + nr * elem, 0, elem);
}

#define GROW(r, caps, field, nr)					\
	((__typeof__((r)->field))grow((void **)&(r)->field, (r)->nr,	\
				      &(caps)->field, sizeof(*(r)->field)))

/* A string-holding element is counted only once whole: recording_free() frees what is counted. */
static enum kd_parse_result str_result(struct kd_cursor *c, bool ok)
{
	return ok ? KD_PARSED : c->bad ? KD_CORRUPT : KD_NO_MEMORY;
}

/* Two strings in a row: on failure neither is kept. */
static enum kd_parse_result get_str_pair(struct kd_cursor *c, char **first, char **second)
{
	*second = NULL;
	if (get_str(c, first) && get_str(c, second))
		return KD_PARSED;
	free(*first);
	free(*second);
	*first = *second = NULL;
	return str_result(c, false);
}

static enum kd_parse_result parse_meta(struct kd_cursor *c, struct recording *r,
					  struct kd_caps *caps)
{
	struct rec_meta *m = GROW(r, caps, meta, nr_meta);
	enum kd_parse_result res;

	if (!m)
		return KD_NO_MEMORY;
	res = get_str_pair(c, &m->key, &m->value);
	if (res != KD_PARSED)
		return res;
	if (!m->key) {
		free(m->value);
		fail(c, "a meta without a key");
		return KD_CORRUPT;
	}
	r->nr_meta++;
	return KD_PARSED;
}

/*
 * An event naming a stack the file has not given yet is refused as
 * corrupt, not kept without its stack: kvas record writes each stack
 * before the first event that uses it, so such a file was not written by
 * it, and a report must never index past stacks[].
 */
static enum kd_parse_result parse_event(struct kd_cursor *c, struct recording *r,
					  struct kd_caps *caps)
{
	struct rec_event *e = GROW(r, caps, events, nr_events);

	if (!e)
		return KD_NO_MEMORY;
	e->ts_ns = get_u64(c);
	e->addr = get_u64(c);
	e->ip = get_u64(c);
	e->arg = get_u64(c);
	e->cgroup = get_u64(c);
	e->pa = get_u64(c);
	e->pid = get_u32(c);
	e->tid = get_u32(c);
	e->cpu = get_u32(c);
	e->stack = get_u32(c);
	e->kind = get_u16(c);
	e->reason = get_u8(c);
	e->tlb_class = get_u8(c);
	e->page_shift = get_u8(c);
	if (c->bad)
		return KD_CORRUPT;
	if (e->stack != REC_NO_STACK && e->stack >= r->nr_stacks) {
		fail(c, "stack %u is not one given before the event", e->stack);
		return KD_CORRUPT;
	}
	if (e->page_shift >= 64) {
		fail(c, "page shift %u is out of range", e->page_shift);
		return KD_CORRUPT;
	}
	r->nr_events++;
	return KD_PARSED;
}

static enum kd_parse_result parse_stack(struct kd_cursor *c, struct recording *r,
					  struct kd_caps *caps)
{
	struct rec_stack *s = GROW(r, caps, stacks, nr_stacks);
	uint64_t nr;

	if (!s)
		return KD_NO_MEMORY;
	s->nr_kernel = get_u32(c);
	s->nr_user = get_u32(c);
	s->flags = get_u32(c);
	nr = (uint64_t)s->nr_kernel + s->nr_user;
	if (c->bad)
		return KD_CORRUPT;
	if (nr > KD_MAX_STACK_FRAMES) {
		fail(c, "%llu frames, more than %d", (unsigned long long)nr, KD_MAX_STACK_FRAMES);
		return KD_CORRUPT;
	}
	if (nr * 8 > c->end - c->pos) {
		fail(c, "%llu frames run past the record's end", (unsigned long long)nr);
		return KD_CORRUPT;
	}
	s->ips = malloc(nr ? nr * sizeof(*s->ips) : 1);
	if (!s->ips)
		return KD_NO_MEMORY;
	for (uint64_t i = 0; i < nr; i++)
		s->ips[i] = get_u64(c);
	r->nr_stacks++;
	return KD_PARSED;
}

static enum kd_parse_result parse_frame(struct kd_cursor *c, struct recording *r,
					  struct kd_caps *caps)
{
	struct rec_frame *f = GROW(r, caps, frames, nr_frames);
	bool ok;

	if (!f)
		return KD_NO_MEMORY;
	f->pid = get_u32(c);
	f->ip = get_u64(c);
	ok = get_str(c, &f->function);
	f->offset = get_u64(c);
	ok = ok && get_str(c, &f->module);
	f->module_offset = get_u64(c);
	if (!ok || c->bad) {
		free(f->function);
		free(f->module);
		return str_result(c, false);
	}
	r->nr_frames++;
	return KD_PARSED;
}

static enum kd_parse_result parse_process(struct kd_cursor *c, struct recording *r,
					  struct kd_caps *caps)
{
	struct rec_process *p = GROW(r, caps, processes, nr_processes);

	if (!p)
		return KD_NO_MEMORY;
	p->pid = get_u32(c);
	p->ppid = get_u32(c);
	p->cgroup = get_u64(c);
	if (get_str_pair(c, &p->comm, &p->cmdline) != KD_PARSED)
		return str_result(c, false);
	r->nr_processes++;
	return KD_PARSED;
}

static enum kd_parse_result parse_thread(struct kd_cursor *c, struct recording *r,
					  struct kd_caps *caps)
{
	struct rec_thread *t = GROW(r, caps, threads, nr_threads);

	if (!t)
		return KD_NO_MEMORY;
	t->pid = get_u32(c);
	t->tid = get_u32(c);
	if (!get_fixed_str(c, t->comm, sizeof(t->comm)))
		return str_result(c, false);
	r->nr_threads++;
	return KD_PARSED;
}

static enum kd_parse_result parse_cgroup(struct kd_cursor *c, struct recording *r,
					  struct kd_caps *caps)
{
	struct rec_cgroup *g = GROW(r, caps, cgroups, nr_cgroups);

	if (!g)
		return KD_NO_MEMORY;
	g->key = get_u64(c);
	if (get_str_pair(c, &g->path, &g->container) != KD_PARSED)
		return str_result(c, false);
	r->nr_cgroups++;
	return KD_PARSED;
}

static enum kd_parse_result parse_mapping(struct kd_cursor *c, struct recording *r,
					  struct kd_caps *caps)
{
	struct rec_mapping *m = GROW(r, caps, mappings, nr_mappings);

	if (!m)
		return KD_NO_MEMORY;
	m->pid = get_u32(c);
	m->start = get_u64(c);
	m->end = get_u64(c);
	m->pgoff = get_u64(c);
	if (!get_fixed_str(c, m->perms, sizeof(m->perms)) || !get_str(c, &m->name)) {
		free(m->name);
		return str_result(c, false);
	}
	r->nr_mappings++;
	return KD_PARSED;
}

/* As an event, a change names only a stack given before it. */
static enum kd_parse_result parse_dmap_change(struct kd_cursor *c, struct recording *r,
					      struct kd_caps *caps)
{
	struct rec_dmap_change *d = GROW(r, caps, dmap_changes, nr_dmap_changes);

	if (!d)
		return KD_NO_MEMORY;
	d->ts_ns = get_u64(c);
	d->addr = get_u64(c);
	d->va = get_u64(c);
	d->pa = get_u64(c);
	d->pages = get_u64(c);
	d->mask_set = get_u64(c);
	d->mask_clr = get_u64(c);
	d->cgroup = get_u64(c);
	d->pid = get_u32(c);
	d->tid = get_u32(c);
	d->stack = get_u32(c);
	d->cpa_flags = get_u32(c);
	d->function = get_u16(c);
	d->addr_kind = get_u8(c);
	d->primary = get_u8(c);
	if (!get_fixed_str(c, d->comm, sizeof(d->comm)))
		return str_result(c, false);
	if (d->stack != REC_NO_STACK && d->stack >= r->nr_stacks) {
		fail(c, "stack %u is not one given before the change", d->stack);
		return KD_CORRUPT;
	}
	r->nr_dmap_changes++;
	return KD_PARSED;
}

static const char *const record_names[] = {
	[KD_META] = "meta", [KD_EVENT] = "event", [KD_STACK] = "stack",
	[KD_FRAME] = "frame", [KD_PROCESS] = "process", [KD_THREAD] = "thread",
	[KD_CGROUP] = "cgroup", [KD_MAPPING] = "mapping", [KD_END] = "end",
	[KD_DMAP_CHANGE] = "direct-map change",
};

typedef enum kd_parse_result (*parse_fn)(struct kd_cursor *, struct recording *, struct kd_caps *);

static const parse_fn parsers[] = {
	[KD_META] = parse_meta, [KD_EVENT] = parse_event, [KD_STACK] = parse_stack,
	[KD_FRAME] = parse_frame, [KD_PROCESS] = parse_process, [KD_THREAD] = parse_thread,
	[KD_CGROUP] = parse_cgroup, [KD_MAPPING] = parse_mapping,
	[KD_DMAP_CHANGE] = parse_dmap_change,
};

const char *kd_record_name(uint32_t type)
{
	return type < sizeof(record_names) / sizeof(record_names[0]) && record_names[type] ?
	       record_names[type] : "unknown";
}

enum kd_parse_result kd_parse_record(uint32_t type, const uint8_t *payload, size_t len,
				     struct recording *r, struct kd_caps *caps,
				     char *fault, size_t fault_size)
{
	struct kd_cursor c = { .bytes = payload, .pos = 0, .end = len };
	enum kd_parse_result res;

	if (type >= sizeof(parsers) / sizeof(parsers[0]) || !parsers[type])
		return KD_UNKNOWN_TYPE;
	res = parsers[type](&c, r, caps);
	if (res == KD_CORRUPT)
		snprintf(fault, fault_size, "%s", c.fault);
	return res;
}
