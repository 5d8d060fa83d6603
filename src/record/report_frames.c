// SPDX-License-Identifier: GPL-2.0
/*
 * Frames by name, as perf report shows them: a function where record
 * resolved one, else module+0xoffset, else the address; and call chains,
 * leaf first, with where a chain was cut said as a frame of its own.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_ctx.h"

static const struct rec_stack *stack_of(const struct recording *r, const struct rec_event *e)
{
	return e->stack < r->nr_stacks ? &r->stacks[e->stack] : NULL;
}

const char *report_symbol(const struct report_ctx *c, const struct rec_event *e,
			  char *buf, size_t len)
{
	const struct rec_stack *s = stack_of(c->r, e);

	if (e->kind == VM_FAULT_USER || e->kind == VM_FAULT_KERNEL)
		return recording_frame_name(c->r, e->pid, e->ip, buf, len);
	if (s && s->nr_kernel + s->nr_user > recording_tracing_frames(c->r, s))
		return recording_frame_name(c->r, e->pid, s->ips[recording_tracing_frames(c->r, s)],
					    buf, len);
	return NULL;
}

/* A growing string of frame names joined by REPORT_SEP. */
struct chain_buf {
	char *s;
	size_t len, cap;
};

static int append(struct chain_buf *b, const char *name)
{
	size_t n = strlen(name);

	if (b->len + n + 2 > b->cap) {
		size_t cap = (b->len + n + 2) * 2;
		char *s = realloc(b->s, cap);

		if (!s)
			return -ENOMEM;
		b->s = s;
		b->cap = cap;
	}
	if (b->len)
		b->s[b->len++] = REPORT_SEP;
	for (size_t i = 0; i < n; i++)
		/* a name is any bytes: the separator in one would split it */
		b->s[b->len++] = name[i] == REPORT_SEP ? '?' : name[i];
	b->s[b->len] = '\0';
	return 0;
}

int report_chain_add(const struct report_ctx *c, const struct rec_event *e,
		     struct report_group *g)
{
	const struct rec_stack *s = stack_of(c->r, e);
	struct chain_buf b = { 0 };
	char name[REPORT_LABEL_LEN];
	uint32_t first;
	int err = 0;

	if (!s)
		return 0;
	first = recording_tracing_frames(c->r, s);
	/* a kernel chain of tracing frames alone, cut: the cut is all there is of it */
	if (first && first == s->nr_kernel && (s->flags & REC_STACK_KERNEL_CUT))
		err = append(&b, REPORT_KERNEL_CUT);
	for (uint32_t i = first; !err && i < s->nr_kernel + s->nr_user; i++) {
		err = append(&b, recording_frame_name(c->r, e->pid, s->ips[i], name, sizeof(name)));
		if (!err && i + 1 == s->nr_kernel && (s->flags & REC_STACK_KERNEL_CUT))
			err = append(&b, REPORT_KERNEL_CUT);
	}
	if (!err && (s->flags & REC_STACK_USER_CUT))
		err = append(&b, REPORT_USER_CUT);
	if (!err && b.len)
		err = group_add(g, b.s, 1);
	free(b.s);
	return err;
}
