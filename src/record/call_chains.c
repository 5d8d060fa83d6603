// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_chains.h"
#include "vm_decode.h"

/* What makes two events fold together before their frames are named. */
struct chain_key {
	uint32_t pid;
	uint32_t stack;		/* REC_NO_STACK: then kind tells them apart */
	uint32_t kind;
};

/* A growing string. */
struct text {
	char *s;
	size_t len, cap;
	int err;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->err)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 128;
		char *s2;

		while (cap < t->len + n + 1)
			cap *= 2;
		s2 = realloc(t->s, cap);
		if (!s2) {
			t->err = -ENOMEM;
			return;
		}
		t->s = s2;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

size_t utf8_char_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return s[0] ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates and beyond U+10FFFF are not UTF-8 */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* One frame, after a separator unless it is the root, made safe for the readers. */
static void add_frame(struct text *t, const char *name, const char *suffix)
{
	if (t->len)
		text_add(t, (char[]){ CHAIN_SEPARATOR }, 1);
	if (!name || !name[0])
		name = "[unknown]";
	while (*name) {
		size_t n = utf8_char_len(name);
		char c = *name;

		if (n > 1) {
			text_add(t, name, n);
			name += n;
			continue;
		}
		if (n == 0 || (unsigned char)c < 0x20 || c == 0x7f)
			c = '?';
		else if (c == CHAIN_SEPARATOR)
			c = ':';
		else if (c == ' ')
			c = '_';
		text_add(t, &c, 1);
		name++;
	}
	if (suffix)
		text_add(t, suffix, strlen(suffix));
}

static void add_ip(struct text *t, const struct recording *r, uint32_t pid, uint64_t ip,
		   const char *suffix)
{
	char name[256];

	add_frame(t, recording_frame_name(r, pid, ip, name, sizeof(name)), suffix);
}

static const char *comm_of(const struct recording *r, uint32_t pid, char *buf, size_t len)
{
	const struct rec_process *p = recording_process(r, pid);
	const struct rec_thread *t;

	if (p && p->comm && p->comm[0])
		return p->comm;
	t = recording_thread(r, pid);
	if (t && t->comm[0]) {
		snprintf(buf, len, "%.*s", (int)sizeof(t->comm), t->comm);
		return buf;
	}
	snprintf(buf, len, "[pid-%" PRIu32 "]", pid);
	return buf;
}

/* The chain of the events with key k, into t. */
static void chain_text(struct text *t, const struct recording *r, const struct chain_key *k)
{
	const struct rec_stack *s;
	uint32_t tracing;
	char buf[32];

	add_frame(t, comm_of(r, k->pid, buf, sizeof(buf)), NULL);
	if (k->stack == REC_NO_STACK) {
		snprintf(buf, sizeof(buf), "[no-stack:%s]", vm_event_name(k->kind));
		add_frame(t, buf, NULL);
		return;
	}
	s = &r->stacks[k->stack];
	/* ips are leaf first: kernel frames, then user frames */
	if (s->flags & REC_STACK_USER_CUT)
		add_frame(t, CHAIN_CUT, NULL);
	for (uint32_t i = s->nr_user; i-- > 0;)
		add_ip(t, r, k->pid, s->ips[s->nr_kernel + i], NULL);
	if (s->flags & REC_STACK_KERNEL_CUT)
		add_frame(t, CHAIN_CUT, CHAIN_KERNEL_SUFFIX);
	/* leaf-most last, without the tracing's own frames */
	tracing = recording_tracing_frames(r, s);
	for (uint32_t i = s->nr_kernel; i-- > tracing;)
		add_ip(t, r, 0, s->ips[i], CHAIN_KERNEL_SUFFIX);
}

static int key_cmp(const void *a, const void *b)
{
	const struct chain_key *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->stack != y->stack)
		return x->stack < y->stack ? -1 : 1;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

static int chain_cmp(const void *a, const void *b)
{
	return strcmp(((const struct call_chain *)a)->text, ((const struct call_chain *)b)->text);
}

/* Sort by text and add up the chains that read the same (two pids of one comm). */
static void merge_equal(struct call_chains *c)
{
	size_t out = 0;

	qsort(c->chain, c->nr, sizeof(*c->chain), chain_cmp);
	for (size_t i = 0; i < c->nr; i++) {
		if (out && !strcmp(c->chain[out - 1].text, c->chain[i].text)) {
			c->chain[out - 1].count += c->chain[i].count;
			free(c->chain[i].text);
			continue;
		}
		c->chain[out++] = c->chain[i];
	}
	c->nr = out;
}

int call_chains_fold(const struct recording *r, struct call_chains *c)
{
	struct chain_key *keys;

	memset(c, 0, sizeof(*c));
	keys = malloc((r->nr_events ? r->nr_events : 1) * sizeof(*keys));
	c->chain = malloc((r->nr_events ? r->nr_events : 1) * sizeof(*c->chain));
	if (!keys || !c->chain)
		goto nomem;
	for (size_t i = 0; i < r->nr_events; i++) {
		const struct rec_event *e = &r->events[i];
		/* a stack index the file did not hold reads as no stack, not past the array */
		uint32_t stack = e->stack < r->nr_stacks ? e->stack : REC_NO_STACK;

		keys[i] = (struct chain_key){ e->pid, stack, stack == REC_NO_STACK ? e->kind : 0 };
	}
	qsort(keys, r->nr_events, sizeof(*keys), key_cmp);
	for (size_t i = 0; i < r->nr_events; i++) {
		struct text t = { 0 };

		if (i && !key_cmp(&keys[i - 1], &keys[i])) {
			c->chain[c->nr - 1].count++;
			continue;
		}
		chain_text(&t, r, &keys[i]);
		if (t.err) {
			free(t.s);
			goto nomem;
		}
		c->chain[c->nr++] = (struct call_chain){ t.s, 1 };
	}
	c->total = r->nr_events;
	merge_equal(c);
	free(keys);
	return 0;
nomem:
	free(keys);
	call_chains_free(c);
	return -ENOMEM;
}

void call_chains_free(struct call_chains *c)
{
	for (size_t i = 0; i < c->nr; i++)
		free(c->chain[i].text);
	free(c->chain);
	memset(c, 0, sizeof(*c));
}
