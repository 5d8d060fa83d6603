// SPDX-License-Identifier: GPL-2.0
/*
 * The kvas.data writer (the format: kvas_data.h). Each record is built in
 * memory, little endian byte by byte so the file is the same whatever the
 * host's layout, then written with one fwrite: a file cut by a kill or a
 * full disk ends inside at most one record, which the reader recognises.
 *
 * The first error sticks (w->err): every later call returns it and writes
 * nothing, so kvas record can check once, at kd_write_end(), and a file
 * is never continued after a gap.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvas_data.h"

#define KD_RECORD_HEADER 8		/* u32 type, u32 payload length */

/* A record's payload as it is built: small ones stay on the stack. */
struct kd_payload {
	uint8_t *bytes;
	size_t len, cap;
	int err;
	uint8_t small[256];
};

static void payload_init(struct kd_payload *p)
{
	p->bytes = p->small;
	p->len = 0;
	p->cap = sizeof(p->small);
	p->err = 0;
}

static void payload_release(struct kd_payload *p)
{
	if (p->bytes != p->small)
		free(p->bytes);
}

static uint8_t *payload_room(struct kd_payload *p, size_t n)
{
	if (p->err)
		return NULL;
	if (n > UINT32_MAX - p->len) {
		p->err = -E2BIG;	/* a record's length is a u32 */
		return NULL;
	}
	if (p->len + n > p->cap) {
		size_t cap = p->cap * 2 > p->len + n ? p->cap * 2 : p->len + n;
		uint8_t *bigger = malloc(cap);

		if (!bigger) {
			p->err = -ENOMEM;
			return NULL;
		}
		memcpy(bigger, p->bytes, p->len);
		payload_release(p);
		p->bytes = bigger;
		p->cap = cap;
	}
	p->len += n;
	return p->bytes + p->len - n;
}

static void put_le(struct kd_payload *p, uint64_t v, size_t n)
{
	uint8_t *b = payload_room(p, n);

	for (size_t i = 0; b && i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

static void put_u8(struct kd_payload *p, uint8_t v)	{ put_le(p, v, 1); }
static void put_u16(struct kd_payload *p, uint16_t v)	{ put_le(p, v, 2); }
static void put_u32(struct kd_payload *p, uint32_t v)	{ put_le(p, v, 4); }
static void put_u64(struct kd_payload *p, uint64_t v)	{ put_le(p, v, 8); }

static void put_str(struct kd_payload *p, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	uint8_t *b;

	if (!s) {
		put_u32(p, KD_ABSENT_STRING);
		return;
	}
	if (n >= KD_ABSENT_STRING) {
		p->err = -E2BIG;
		return;
	}
	put_u32(p, (uint32_t)n);
	b = payload_room(p, n);
	if (b)
		memcpy(b, s, n);
}

/* A comm may fill its 16 bytes without a NUL: one more for it. */
static void put_comm(struct kd_payload *p, const char *comm, size_t size)
{
	char s[32];

	snprintf(s, sizeof(s), "%.*s", (int)size, comm);
	put_str(p, s);
}

/* Write what was assembled, or keep the first error. */
static int write_bytes(struct kd_writer *w, const void *bytes, size_t n)
{
	if (w->err)
		return w->err;
	errno = 0;
	if (fwrite(bytes, 1, n, w->f) != n)
		w->err = errno ? -errno : -EIO;
	return w->err;
}

/* A record's payload follows room for its header, filled when it is written. */
static void record_init(struct kd_payload *p)
{
	payload_init(p);
	p->len = KD_RECORD_HEADER;
}

static int write_record(struct kd_writer *w, enum kd_record_type type, struct kd_payload *p)
{
	uint32_t payload_len = (uint32_t)(p->len - KD_RECORD_HEADER);

	if (!w->err && p->err)
		w->err = p->err;
	for (size_t i = 0; i < 4; i++) {
		p->bytes[i] = (uint8_t)(type >> (8 * i));
		p->bytes[4 + i] = (uint8_t)(payload_len >> (8 * i));
	}
	write_bytes(w, p->bytes, p->len);	/* one fwrite per record */
	payload_release(p);
	return w->err;
}

int kd_write_begin(struct kd_writer *w, FILE *f)
{
	struct kd_payload head;

	w->f = f;
	w->nr_stacks = 0;
	w->err = f ? 0 : -EINVAL;
	if (w->err)
		return w->err;
	payload_init(&head);
	memcpy(payload_room(&head, strlen(KD_MAGIC)), KD_MAGIC, strlen(KD_MAGIC));
	put_u16(&head, KD_MAJOR);
	put_u16(&head, KD_MINOR);
	write_bytes(w, head.bytes, head.len);
	payload_release(&head);
	return w->err;
}

int kd_write_meta(struct kd_writer *w, const char *key, const char *value)
{
	struct kd_payload p;

	if (!w->err && !key)
		w->err = -EINVAL;	/* recording_meta() finds values by key */
	record_init(&p);
	put_str(&p, key);
	put_str(&p, value);
	return write_record(w, KD_META, &p);
}

int kd_write_event(struct kd_writer *w, const struct rec_event *e)
{
	struct kd_payload p;

	/* a file whose event names a stack not written yet is one the reader refuses */
	if (!w->err && e->stack != REC_NO_STACK && e->stack >= w->nr_stacks)
		w->err = -EINVAL;
	record_init(&p);
	put_u64(&p, e->ts_ns);
	put_u64(&p, e->addr);
	put_u64(&p, e->ip);
	put_u64(&p, e->arg);
	put_u64(&p, e->cgroup);
	put_u64(&p, e->pa);
	put_u32(&p, e->pid);
	put_u32(&p, e->tid);
	put_u32(&p, e->cpu);
	put_u32(&p, e->stack);
	put_u16(&p, e->kind);
	put_u8(&p, e->reason);
	put_u8(&p, e->tlb_class);
	put_u8(&p, e->page_shift);
	return write_record(w, KD_EVENT, &p);
}

/*
 * A chain longer than the reader takes keeps its leaf-most frames (the
 * kernel's first) and says which part was cut, as a short chain would.
 */
int kd_write_stack(struct kd_writer *w, const struct rec_stack *s, uint32_t *index)
{
	uint32_t nr_kernel = s->nr_kernel, nr_user = s->nr_user, flags = s->flags;
	struct kd_payload p;

	if (nr_kernel > KD_MAX_STACK_FRAMES) {
		nr_kernel = KD_MAX_STACK_FRAMES;
		flags |= REC_STACK_KERNEL_CUT;
	}
	if (nr_user > KD_MAX_STACK_FRAMES - nr_kernel) {
		nr_user = KD_MAX_STACK_FRAMES - nr_kernel;
		flags |= REC_STACK_USER_CUT;
	}
	record_init(&p);
	put_u32(&p, nr_kernel);
	put_u32(&p, nr_user);
	put_u32(&p, flags);
	for (uint32_t i = 0; i < nr_kernel; i++)
		put_u64(&p, s->ips[i]);
	for (uint32_t i = 0; i < nr_user; i++)
		put_u64(&p, s->ips[s->nr_kernel + i]);
	if (write_record(w, KD_STACK, &p))
		return w->err;
	if (index)
		*index = (uint32_t)w->nr_stacks;
	w->nr_stacks++;
	return 0;
}

int kd_write_frame(struct kd_writer *w, const struct rec_frame *f)
{
	struct kd_payload p;

	record_init(&p);
	put_u32(&p, f->pid);
	put_u64(&p, f->ip);
	put_str(&p, f->function);
	put_u64(&p, f->offset);
	put_str(&p, f->module);
	put_u64(&p, f->module_offset);
	return write_record(w, KD_FRAME, &p);
}

int kd_write_process(struct kd_writer *w, const struct rec_process *proc)
{
	struct kd_payload p;

	record_init(&p);
	put_u32(&p, proc->pid);
	put_u32(&p, proc->ppid);
	put_u64(&p, proc->cgroup);
	put_str(&p, proc->comm);
	put_str(&p, proc->cmdline);
	return write_record(w, KD_PROCESS, &p);
}

int kd_write_thread(struct kd_writer *w, const struct rec_thread *t)
{
	struct kd_payload p;

	record_init(&p);
	put_u32(&p, t->pid);
	put_u32(&p, t->tid);
	put_comm(&p, t->comm, sizeof(t->comm));
	return write_record(w, KD_THREAD, &p);
}

int kd_write_cgroup(struct kd_writer *w, const struct rec_cgroup *c)
{
	struct kd_payload p;

	record_init(&p);
	put_u64(&p, c->key);
	put_str(&p, c->path);
	put_str(&p, c->container);
	return write_record(w, KD_CGROUP, &p);
}

int kd_write_mapping(struct kd_writer *w, const struct rec_mapping *m)
{
	char perms[sizeof(m->perms) + 1];
	struct kd_payload p;

	memcpy(perms, m->perms, sizeof(m->perms));
	perms[sizeof(m->perms)] = '\0';
	record_init(&p);
	put_u32(&p, m->pid);
	put_u64(&p, m->start);
	put_u64(&p, m->end);
	put_u64(&p, m->pgoff);
	put_str(&p, perms);
	put_str(&p, m->name);
	return write_record(w, KD_MAPPING, &p);
}

int kd_write_dmap_change(struct kd_writer *w, const struct rec_dmap_change *c)
{
	struct kd_payload p;

	if (!w->err && c->stack != REC_NO_STACK && c->stack >= w->nr_stacks)
		w->err = -EINVAL;
	record_init(&p);
	put_u64(&p, c->ts_ns);
	put_u64(&p, c->addr);
	put_u64(&p, c->va);
	put_u64(&p, c->pa);
	put_u64(&p, c->pages);
	put_u64(&p, c->mask_set);
	put_u64(&p, c->mask_clr);
	put_u64(&p, c->cgroup);
	put_u32(&p, c->pid);
	put_u32(&p, c->tid);
	put_u32(&p, c->stack);
	put_u32(&p, c->cpa_flags);
	put_u16(&p, c->function);
	put_u8(&p, c->addr_kind);
	put_u8(&p, c->primary);
	put_comm(&p, c->comm, sizeof(c->comm));
	return write_record(w, KD_DMAP_CHANGE, &p);
}

int kd_write_end(struct kd_writer *w)
{
	struct kd_payload p;

	record_init(&p);
	if (write_record(w, KD_END, &p))
		return w->err;
	errno = 0;
	if (fflush(w->f) || ferror(w->f))
		w->err = errno ? -errno : -EIO;
	return w->err;
}
