// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stream_batch.h"

int batch_expander_init(struct batch_expander *x, uint32_t nr_cpus)
{
	x->who = calloc(nr_cpus ? nr_cpus : 1, sizeof(*x->who));
	x->nr_cpus = x->who ? nr_cpus : 0;
	return x->who ? 0 : -ENOMEM;
}

void batch_expander_free(struct batch_expander *x)
{
	free(x->who);
	x->who = NULL;
	x->nr_cpus = 0;
}

bool batch_is(size_t len)
{
	return len && len % sizeof(struct vm_event_entry) == 0;
}

static void who_update(struct batch_expander *x, const struct vm_who_entry *w)
{
	struct batch_who *who;

	if (w->cpu >= x->nr_cpus)
		return;
	who = &x->who[w->cpu];
	who->cgroup = w->cgroup;
	memcpy(who->comm, w->comm, sizeof(who->comm));
	who->comm[sizeof(who->comm) - 1] = '\0';
	who->known = true;
}

static void expand(const struct batch_expander *x, const struct vm_event_entry *in,
		   struct vm_event *e)
{
	memset(e, 0, sizeof(*e));
	e->ts = in->ts;
	e->addr = in->addr;
	e->ip = in->ip;
	e->arg = in->arg;
	e->pid = in->pid;
	e->tid = in->tid;
	e->cpu = in->cpu;
	e->kind = in->kind;
	e->reason = in->reason;
	e->tlb_class = in->tlb_class;
	if (in->cpu < x->nr_cpus && x->who[in->cpu].known) {
		e->cgroup = x->who[in->cpu].cgroup;
		memcpy(e->comm, x->who[in->cpu].comm, sizeof(e->comm));
	}
	/* prev.addr 0 is "no translation", as in vm_event */
	e->prev.addr = in->prev_addr;
	e->prev.pa = in->prev_pa;
	e->prev.page_shift = in->prev_shift;
	if (in->prev_addr) {
		e->prev.tid = in->tid;
		e->prev.tgid = in->pid;
	}
}

int batch_expand(struct batch_expander *x, const void *data, size_t len,
		 int (*fn)(void *ctx, void *data, size_t len), void *ctx)
{
	const struct vm_event_entry *entries = data;
	size_t n = len / sizeof(*entries);
	int err = 0;

	for (size_t i = 0; !err && i < n; i++) {
		struct vm_event e;

		if (entries[i].kind == VM_WHO) {
			who_update(x, (const struct vm_who_entry *)&entries[i]);
			continue;
		}
		expand(x, &entries[i], &e);
		err = fn(ctx, &e, sizeof(e));
	}
	return err;
}
