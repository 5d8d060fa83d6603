// SPDX-License-Identifier: GPL-2.0
/* kvas record's run: start, the loop that writes records as they come, the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_setup.h"
#include "cgroup_cache.h"
#include "commands.h"
#include "kvas_data.h"
#include "ksyms.h"
#include "procfs_read.h"
#include "read_failures.h"
#include "record_command.h"
#include "record_dmap.h"
#include "record_file.h"
#include "record_meta.h"
#include "record_run.h"
#include "record_sink.h"
#include "task_watch.h"
#include "user_symbols.h"
#include "watch.h"

/*
 * The programs wake the reader only when the buffer is an eighth full:
 * polling every 10 ms reads a short-lived process's first events while it
 * still lives, so that its maps, command line and symbols can be read.
 */
#define POLL_NS 10000000ULL

/* What a run holds, from the start to the cleanup. */
struct record_run {
	struct record_file file;
	struct kd_writer w;
	struct record_sink sink;
	bool sink_ready;
	struct cgroup_cache cc;
	struct ksyms ks;
	bool ks_read;
	struct user_symbols *us;
	struct translator tr;
	struct discovery *d;
	struct vm_stream ev;
	bool ev_open;
	struct ring_buffer *rb;
	struct record_dmap dmap;	/* direct-map changes, on rb's poll where the kernel allows */
	bool dmap_open;
	struct task_watch target;	/* -p, -t, or the command: record ends with it */
	bool target_exited;
	struct record_command cmd;
	bool exec_failed;
	uint64_t mono_start_ns;
	struct vm_counters totals;
	struct read_failures read_failed;
	bool failed;			/* the file took no more */
	struct container_filter *filter;	/* --container; NULL: none */
};

static int handle_event(void *ctx, void *data, size_t len)
{
	struct record_run *run = ctx;
	const struct vm_event *e = data;

	/*
	 * --container: the kernel lets a cgroup it has not been told about
	 * through (one made since the last sync); it is decided here, once,
	 * and the kernel is told.
	 */
	if (run->filter && len >= sizeof(*e) &&
	    !container_filter_allows(run->filter, &run->cc, &run->ev.p, e->cgroup))
		return 0;
	if (!run->failed && record_sink_take(&run->sink, data, len)) {
		run->failed = true;
		live_stop = 1;
		return -EIO;
	}
	return 0;
}

static void kernel_text(const struct translate_ctx *layout, uint64_t *start, uint64_t *end)
{
	for (int i = 0; i < layout->regions.nr; i++) {
		if (layout->regions.r[i].kind == REGION_KERNEL_TEXT) {
			*start = layout->regions.r[i].start;
			*end = layout->regions.r[i].end + 1;
		}
	}
}

/* What names ips and tasks: after the attach, so that kallsyms has the programs. */
static int sink_start(struct record_run *run)
{
	struct record_sink *s = &run->sink;

	if (record_sink_init(s, &run->w, run->ev.p.nr_cpus))
		return -1;
	run->sink_ready = true;
	run->ks_read = !kallsyms_read(&run->ks);
	run->us = user_symbols_new();
	s->frames.ks = run->ks_read ? &run->ks : NULL;
	s->frames.us = run->us;
	kernel_text(&run->tr.ctx, &s->frames.text_start, &s->frames.text_end);
	s->procs.cc = &run->cc;
	s->procs.us = run->us;
	return 0;
}

/*
 * Direct-map changes, whenever the kernel lets them be hooked, of the
 * record's target: else the meta keeps why, and so does a line on stderr
 * once the recording runs (a command that cannot run is the only line).
 */
static void dmap_start(struct record_run *run, struct record_cfg *cfg)
{
	struct record_dmap *rd = &run->dmap;

	rd->sink = &run->sink;
	rd->layout = &run->tr.ctx;
	rd->stacks = cfg->ev.stacks;
	rd->target = (struct record_dmap_target){
		.self = getpid(), .tgid = cfg->ev.tgid, .tid = cfg->ev.tid,
		.follow = cfg->ev.follow, .follow_fd = -1, .cgroups = cfg->ev.cgroups,
		.containers = cfg->filter.prefixes.n ? &cfg->filter : NULL, .cc = &run->cc,
		.p = &run->ev.p,
	};
	run->dmap_open = record_dmap_open(rd, &run->d->kconfig, run->rb);
}

/* The command, the target, the file and the programs: 0, or -1 after the line that says why. */
static int record_start(struct record_run *run, struct record_cfg *cfg)
{
	struct record_run_facts facts = {
		KVAS_VERSION, cfg->cmdline, cfg->target, cfg->ev.record_mask,
		cfg->ev.sample_every, cfg->ev.rate, cfg->ev.stacks,
	};
	char why[300];
	int err;

	if (cfg->command && record_command_fork(&run->cmd, cfg->command, why, sizeof(why)))
		goto fail;
	if (task_watch_open(&run->target, run->cmd.pid ? run->cmd.pid :
			    cfg->ev.tid ? cfg->ev.tid : cfg->ev.tgid, cfg->ev.tid != 0, why,
			    sizeof(why)))
		goto fail;
	if (record_file_open(&run->file, cfg->output, why, sizeof(why)))
		goto fail;
	kd_write_begin(&run->w, run->file.f);
	cgroup_cache_init(&run->cc);
	if (cfg->cgroup &&
	    (err = cgroup_keys_of(&run->cc, cfg->cgroup, cfg->ev.cgroups, VM_CGROUP_TARGETS)) < 0) {
		snprintf(why, sizeof(why), "cgroup '%s': %s", cfg->cgroup, err == -ENOENT ?
			 "no cgroup has that path in any hierarchy (v2, v1 memory, v1 cpu)" :
			 strerror(-err));
		goto fail;
	}
	run->d = live_layout(&run->tr, "record");
	if (!run->d)
		return -1;
	if (vm_stream_open(&run->ev, &cfg->ev, &run->tr.ctx, why, sizeof(why)))
		goto fail;
	run->ev_open = true;
	vm_parts_text(run->ev.p.parts, stderr);
	if (cfg->filter.prefixes.n) {
		run->filter = &cfg->filter;
		if (!container_filter_sync(&cfg->filter, &run->cc, &run->ev.p))
			fprintf(stderr, "kvas record: no container matches --container yet;"
				" recording from when one starts\n");
	}
	run->rb = vm_stream_reader(&run->ev, handle_event, run);
	if (!run->rb) {
		snprintf(why, sizeof(why), "cannot open the ring buffer: %s", strerror(errno));
		goto fail;
	}
	dmap_start(run, cfg);
	if (sink_start(run) || record_meta_start(&run->w, &facts, &run->tr.ctx,
						 &run->mono_start_ns) ||
	    record_dmap_meta_start(&run->dmap, &run->w)) {
		snprintf(why, sizeof(why), "cannot write %s: %s", cfg->output, strerror(ENOMEM));
		goto fail;
	}
	if (run->cmd.pid && (err = vm_stream_follow(&run->ev, run->cmd.pid))) {
		snprintf(why, sizeof(why), "cannot follow the command: %s", strerror(-err));
		goto fail;
	}
	if (run->cmd.pid && record_command_go(&run->cmd)) {
		run->exec_failed = true;	/* the child said why */
		return -1;
	}
	if (!run->dmap_open)
		fprintf(stderr, "kvas record: direct-map changes %s\n", run->dmap.status);
	return 0;
fail:
	fprintf(stderr, "kvas record: %s\n", why);
	return -1;
}

/* Records until stopped, -d is over, the file takes no more, or the target exits. */
static void record_loop(struct record_run *run, struct record_cfg *cfg, double duration)
{
	uint64_t end = run->mono_start_ns + (uint64_t)(duration * 1e9), now;
	int err, wait_ms;

	while (!live_stop && !run->target_exited) {
		now = monotonic_ns();
		if (duration && now >= end)
			break;
		wait_ms = duration && end - now < POLL_NS ? (int)((end - now + 999999) / 1000000) :
			  (int)(POLL_NS / 1000000);
		if (cfg->filter.prefixes.n)
			container_filter_sync(&cfg->filter, &run->cc, &run->ev.p);
		err = task_watch_drain(&run->target, run->rb, wait_ms, &run->target_exited);
		if (err < 0) {
			if (!run->failed)
				read_failure_add(&run->read_failed, "ring buffer", err);
			break;
		}
	}
	/*
	 * The programs stop, then the counters, then what is in the buffer:
	 * the counts cover the records, no more and no fewer.
	 */
	vm_stream_stop(&run->ev);
	err = vm_stream_counters(&run->ev, &run->totals);
	if (err) {
		memset(&run->totals, 0, sizeof(run->totals));
		read_failure_add(&run->read_failed, "per-CPU counts", err);
	}
	if (!run->failed)
		ring_buffer_drain(run->rb, 0);
}

/* The end of the file and the line that says what it holds: 0, or -1. */
static int record_finish(struct record_run *run, struct record_cfg *cfg, int exit_status)
{
	const struct vm_counters *t = &run->totals;
	char why[300];
	long long size;

	record_sink_finish(&run->sink);
	record_meta_end(&run->w, run->mono_start_ns, t, exit_status);
	record_dmap_meta_end(&run->dmap, &run->w);
	kd_write_end(&run->w);
	size = record_file_size(&run->file);
	if (record_file_finish(&run->file, true, why, sizeof(why)) || run->w.err) {
		/* what was written is kept, cut short: the reader says where it ends */
		if (run->w.err)
			snprintf(why, sizeof(why), "cannot write %s: %s (what was written is kept)",
				 cfg->output, strerror(-run->w.err));
		fprintf(stderr, "kvas record: %s\n", why);
		return -1;
	}
	read_failures_tell(&(struct read_failures){ 0 }, &run->read_failed, "record", stderr);
	fprintf(stderr, "kvas record: %llu events (%llu with stacks) written to %s (%.1f MB);"
		" %llu sampled away", (unsigned long long)run->sink.written,
		(unsigned long long)run->sink.with_stacks, cfg->output, size / 1e6,
		(unsigned long long)t->sampled_away);
	if (run->dmap_open)
		fprintf(stderr, "; %llu direct-map changes", (unsigned long long)run->dmap.written);
	if (t->dropped)
		fprintf(stderr, ", %llu lost", (unsigned long long)t->dropped);
	fputc('\n', stderr);
	return 0;
}

/* The command's end: it was asked to stop if it still ran. */
static int command_status(struct record_run *run)
{
	if (!run->cmd.pid)
		return -1;
	if (!run->target_exited)
		record_command_stop(&run->cmd);
	return record_command_wait(&run->cmd);
}

int record_run(struct record_cfg *cfg, const struct cli_opts *o)
{
	struct record_run run = { .file.f = NULL };
	int status = EXIT_RUNTIME, exit_status = -1;
	char why[300];

	live_signals();
	if (!record_start(&run, cfg)) {
		record_loop(&run, cfg, o->duration);
		exit_status = command_status(&run);
		if (!record_finish(&run, cfg, exit_status) && !run.read_failed.nr)
			status = run.cmd.pid ? exit_status : EXIT_OK;
	} else {
		exit_status = command_status(&run);
		if (run.exec_failed)
			status = exit_status;
		record_file_finish(&run.file, false, why, sizeof(why));
	}
	ring_buffer_close(run.rb);
	if (run.dmap_open)
		record_dmap_close(&run.dmap);
	if (run.ev_open)
		vm_stream_close(&run.ev);
	task_watch_close(&run.target);
	if (run.sink_ready)
		record_sink_free(&run.sink);
	if (run.ks_read)
		ksyms_free(&run.ks);
	user_symbols_free(run.us);
	cgroup_cache_free(&run.cc);
	live_release(&run.tr, run.d);
	return status;
}
