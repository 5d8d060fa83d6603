// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"
#include "record_frames.h"
#include "record_procs.h"
#include "user_symbols.h"

/* "name+0x1f" into the frame's function and offset. */
static void split_symbol(struct rec_frame *f, const char *sym)
{
	const char *plus = strrchr(sym, '+');

	f->function = plus ? strndup(sym, plus - sym) : strdup(sym);
	f->offset = plus ? strtoull(plus + 1, NULL, 16) : 0;
}

static void name_kernel(struct record_frames *rf, struct rec_frame *f)
{
	char sym[160];

	if (rf->ks && ksyms_name(rf->ks, f->ip, sym, sizeof(sym)))
		split_symbol(f, sym);
	if (f->ip >= rf->text_start && f->ip < rf->text_end) {
		f->module = strdup("vmlinux");
		f->module_offset = f->ip - rf->text_start;
	}
}

static void name_user(struct record_frames *rf, struct rec_frame *f, const struct vm_event *e)
{
	struct user_ip at = { e->pid, e->tid, e->comm, e->ts, f->ip };
	/* an ip is named once: its file's maps are worth a read (1 ms apart at most) */
	const struct rec_mapping *m = record_procs_mapping(rf->rp, e, f->ip, 1000000);
	char sym[160], module[96];

	if (rf->us && user_symbols_name(rf->us, &at, sym, sizeof(sym), module, sizeof(module))) {
		split_symbol(f, sym);
		f->module = strdup(module);
	}
	if (m) {
		f->module_offset = f->ip - m->start + m->pgoff;
		if (!f->module && m->name[0] == '/')
			f->module = strdup(strrchr(m->name, '/') + 1);
	}
}

const struct rec_frame *record_frame(struct record_frames *rf, const struct vm_event *e,
				     uint32_t pid, uint64_t ip)
{
	uint32_t *at;
	bool added;
	struct rec_frame *f;

	at = record_table_get(&rf->frame_at, pid, ip, rf->nr_frames, &added);
	if (!at)
		return NULL;
	if (!added)
		return &rf->frames[*at];
	if (rf->nr_frames == rf->cap_frames) {
		size_t cap = rf->cap_frames ? rf->cap_frames * 2 : 256;
		struct rec_frame *grown = realloc(rf->frames, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		rf->frames = grown;
		rf->cap_frames = cap;
	}
	f = &rf->frames[rf->nr_frames++];
	memset(f, 0, sizeof(*f));
	f->pid = pid;
	f->ip = ip;
	if (pid)
		name_user(rf, f, e);
	else
		name_kernel(rf, f);
	return f;
}

/* The BPF program's own frames, on top of every kernel chain it takes. */
static bool program_frame(const struct rec_frame *f)
{
	return f && f->function && (!strncmp(f->function, "bpf_prog_", 9) ||
				    !strncmp(f->function, "bpf_trace_run", 13) ||
				    !strncmp(f->function, "__bpf_trace_", 12));
}

/* Where a user chain walked to its end: a thread's or process's first function. */
static bool outermost_function(const struct rec_frame *f)
{
	static const char *const starts[] = {
		"_start", "__libc_start_main", "__libc_start_call_main", "start_thread",
		"clone", "clone3", "__clone", "__clone3", "thread_start",
	};

	for (size_t i = 0; f && f->function && i < sizeof(starts) / sizeof(starts[0]); i++)
		if (!strcmp(f->function, starts[i]))
			return true;
	return false;
}

static uint64_t ips_hash(const uint64_t *ips, uint32_t n, uint32_t nr_kernel)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ nr_kernel;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ ips[i]) * 0x100000001b3ULL;
	return h;
}

int record_stack(struct record_frames *rf, struct kd_writer *w, const struct vm_event_stack *s,
		 uint32_t *index)
{
	uint64_t ips[VM_STACK_KERNEL_MAX + VM_STACK_USER_MAX];
	struct rec_stack st = { .ips = ips };
	uint32_t nk = s->nr_kernel < VM_STACK_KERNEL_MAX ? s->nr_kernel : VM_STACK_KERNEL_MAX;
	uint32_t nu = s->nr_user < VM_STACK_USER_MAX ? s->nr_user : VM_STACK_USER_MAX;
	uint32_t skip = 0, *at;
	bool added;
	int err;

	while (skip < nk && program_frame(record_frame(rf, &s->e, 0, s->kernel_ips[skip])))
		skip++;
	for (uint32_t i = skip; i < nk; i++)
		ips[st.nr_kernel++] = s->kernel_ips[i];
	for (uint32_t i = 0; i < nu; i++)
		ips[st.nr_kernel + st.nr_user++] = s->user_ips[i];
	at = record_table_get(&rf->stack_at, ips_hash(ips, st.nr_kernel + st.nr_user, st.nr_kernel),
			      s->e.pid, UINT32_MAX, &added);
	if (!at)
		return -1;
	if (!added) {
		*index = *at;
		return 0;
	}
	for (uint32_t i = 0; i < st.nr_kernel; i++)
		record_frame(rf, &s->e, 0, ips[i]);
	for (uint32_t i = 0; i < st.nr_user; i++)
		record_frame(rf, &s->e, s->e.pid, ips[st.nr_kernel + i]);
	if (s->flags & VM_STACK_KERNEL_FULL)
		st.flags |= REC_STACK_KERNEL_CUT;
	if (st.nr_user && ((s->flags & VM_STACK_USER_FULL) ||
			   (!(s->flags & VM_STACK_USER_ZERO_FP) &&
			    !outermost_function(record_frame(rf, &s->e, s->e.pid,
							     ips[st.nr_kernel + st.nr_user - 1]))))) {
		st.flags |= REC_STACK_USER_CUT;
		rf->stacks_cut++;
	}
	err = kd_write_stack(w, &st, at);
	*index = err ? REC_NO_STACK : *at;
	return err;
}

int record_frames_write(const struct record_frames *rf, struct kd_writer *w)
{
	for (size_t i = 0; i < rf->nr_frames; i++)
		kd_write_frame(w, &rf->frames[i]);
	return w->err;
}

void record_frames_free(struct record_frames *rf)
{
	for (size_t i = 0; i < rf->nr_frames; i++) {
		free(rf->frames[i].function);
		free(rf->frames[i].module);
	}
	free(rf->frames);
	record_table_free(&rf->frame_at);
	record_table_free(&rf->stack_at);
	memset(rf, 0, sizeof(*rf));
}
