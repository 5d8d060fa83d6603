// SPDX-License-Identifier: GPL-2.0
/* kvas trace's run: start, the loop that prints records as they come, the summary. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpf_setup.h"
#include "cgroup_cache.h"
#include "containers.h"
#include "json_util.h"
#include "ksyms.h"
#include "watch.h"
#include "outfile.h"
#include "remote_flush_host.h"
#include "task_watch.h"
#include "trace_output.h"
#include "trace_run.h"
#include "user_symbols.h"
#include "vm_decode.h"

/* What a run holds, from the start to the cleanup. */
struct trace_run {
	struct trace_printer printer;
	struct outfile of;
	struct cgroup_cache cc;
	struct container_filter *filter;
	uint64_t label_cgroup;		/* the cgroup whose container label is below */
	char label[80];			/* "": that cgroup is in no container */
	struct ksyms *ksyms;		/* /proc/kallsyms, read at the first kernel fault */
	bool ksyms_tried;
	struct user_symbols *usyms;	/* user faults' ips: made at the first */
	uint64_t stop_ns;		/* records after it are not printed; 0: running */
	struct vm_counters totals;	/* the programs' counters at the stop */
	struct translator tr;
	struct discovery *d;
	struct vm_stream ev;
	struct ring_buffer *rb;
	struct task_watch target;	/* -t, else -p: the trace ends with it */
	bool target_exited;
	bool failed;			/* the output took no more */
	struct read_failures read_failed;	/* the ring buffer's, the counters' */
	bool tlb_traced;		/* -e has tlb-flush and the kernel the tracepoint */
	bool filtered;			/* some tasks only: -p, -t, --cgroup, --comm, -C */
	struct remote_flush_host host;	/* read at the start, with mark: see summary */
	struct remote_flush_mark mark;
};

static const char *kernel_symbol(struct trace_run *run, uint64_t ip, char *buf, size_t len)
{
	FILE *f;

	if (!run->ksyms_tried) {
		run->ksyms_tried = true;
		run->ksyms = calloc(1, sizeof(*run->ksyms));
		f = fopen("/proc/kallsyms", "re");
		if (!run->ksyms || !f || ksyms_load(run->ksyms, f)) {
			if (run->ksyms)
				ksyms_free(run->ksyms);
			free(run->ksyms);
			run->ksyms = NULL;
		}
		if (f)
			fclose(f);
	}
	return run->ksyms ? ksyms_name(run->ksyms, ip, buf, len) : NULL;
}

/* The container label of a cgroup: events come in runs of one cgroup, parse once per run. */
static const char *container_of(struct trace_run *run, uint64_t cgroup, const char *path)
{
	struct container_ref c;

	if (!path)
		return NULL;
	if (cgroup != run->label_cgroup) {
		run->label_cgroup = cgroup;
		run->label[0] = '\0';
		if (container_parse(path, &c))
			container_label(&c, run->label, sizeof(run->label));
	}
	return run->label[0] ? run->label : NULL;
}

/* A user fault's ip as name+0xoff and the file it is in, where that is known. */
static void user_symbol(struct trace_run *run, const struct vm_event *e, char *symbol,
			size_t symbol_len, char *module, size_t module_len,
			struct trace_names *names)
{
	struct user_ip at = { e->pid, e->tid, e->comm, e->ts, e->ip };

	if (!run->usyms)
		run->usyms = user_symbols_new();
	if (run->usyms && user_symbols_name(run->usyms, &at, symbol, symbol_len, module,
					    module_len)) {
		names->symbol = symbol;
		names->module = module;
	}
}

static int handle_event(void *ctx, void *data, size_t len)
{
	struct trace_run *run = ctx;
	const struct vm_event *e = data;
	struct trace_names names = { 0 };
	char symbol[160], module[96];

	if (len < sizeof(struct vm_event))
		return 0;
	/* the summary counts up to the stop: what came after is neither counted nor printed */
	if (run->stop_ns && e->ts > run->stop_ns)
		return 0;
	/* a cgroup made since the last rescan got by the kernel's filter once */
	if (!container_filter_allows(run->filter, &run->cc, &run->ev.p, e->cgroup))
		return 0;
	names.cgroup = cgroup_path(&run->cc, e->cgroup);
	names.container = container_of(run, e->cgroup, names.cgroup);
	if (e->kind == VM_FAULT_KERNEL)
		names.symbol = kernel_symbol(run, e->ip, symbol, sizeof(symbol));
	else if (e->kind == VM_FAULT_USER)
		user_symbol(run, e, symbol, sizeof(symbol), module, sizeof(module), &names);
	if (trace_print(&run->printer, e, &names)) {
		run->failed = true;
		live_stop = 1;
		return -EIO;	/* stops the ring buffer's read */
	}
	return 0;
}

static void record_end(void *stream, uint64_t written)
{
	out_stream_mark(stream, written);
}


/* Everything up to the header line: 0, or -1 after the line that says why. */
static int trace_start(struct trace_run *run, struct trace_cfg *cfg)
{
	char why[200];
	int err;

	/*
	 * Exit 1, not 2: the command line is well formed, and the task it
	 * names may have existed a moment ago; that is the system's state,
	 * as kill(1) and perf treat it, and nothing is loaded for nothing.
	 */
	if (task_watch_open(&run->target, cfg->ev.tid ? cfg->ev.tid : cfg->ev.tgid,
			    cfg->ev.tid != 0, why, sizeof(why))) {
		fprintf(stderr, "kvas trace: %s\n", why);
		return -1;
	}
	/* a bad -o is said at once, not after a trace that has nowhere to go */
	if (outfile_open(&run->of, cfg->output, cfg->force, why, sizeof(why))) {
		fprintf(stderr, "kvas trace: %s\n", why);
		return -1;
	}
	run->printer.out = run->of.out;
	run->printer.record_end = record_end;
	run->printer.record_end_ctx = run->of.stream;
	cgroup_cache_init(&run->cc);
	if (cfg->cgroup &&
	    (err = cgroup_keys_of(&run->cc, cfg->cgroup, cfg->ev.cgroups, VM_CGROUP_TARGETS)) < 0) {
		fprintf(stderr, "kvas trace: cgroup '%s': %s\n", cfg->cgroup,
			err == -ENOENT ? "no cgroup has that path in any hierarchy (v2, v1 memory, v1 cpu)"
				       : strerror(-err));
		return -1;
	}
	run->d = live_layout(&run->tr, "trace");
	if (!run->d)
		return -1;
	/* how remote flushes go: the probe's requests come before kvas counts */
	if (cfg->ev.record_mask & VM_MASK(VM_TLB_FLUSH))
		remote_flush_host_read(&run->host);
	run->printer.start_ns = monotonic_ns();
	if (vm_stream_open(&run->ev, &cfg->ev, &run->tr.ctx, why, sizeof(why))) {
		fprintf(stderr, "kvas trace: %s\n", why);
		return -1;
	}
	vm_parts_text(run->ev.p.parts, stderr);
	run->filter = &cfg->filter;
	if (cfg->filter.prefixes.n && !container_filter_sync(run->filter, &run->cc, &run->ev.p))
		fprintf(stderr, "kvas trace: no container matches --container yet;"
			" tracing from when one starts\n");
	run->rb = vm_stream_reader(&run->ev, handle_event, run);
	if (!run->rb) {
		fprintf(stderr, "kvas trace: cannot open the ring buffer: %s\n", strerror(errno));
		return -1;
	}
	run->printer.layout = &run->tr.ctx;
	run->printer.tlb_reasons = &run->ev.p.tlb_reasons;
	run->tlb_traced = (cfg->ev.record_mask & VM_MASK(VM_TLB_FLUSH)) &&
			  run->ev.p.parts[VM_PART_TLB_FLUSHES].on;
	run->filtered = cfg->ev.tgid || cfg->ev.tid || cfg->ev.cgroups[0] || cfg->ev.comm ||
			cfg->filter.prefixes.n;
	if (run->tlb_traced)
		run->mark.irqs_known = tlb_interrupts_read(&run->mark.irqs);
	/* the traced process's symbols, while it lives: a short run exits before its lines */
	if (run->target.id && (cfg->ev.record_mask & VM_MASK(VM_FAULT_USER)) &&
	    (run->usyms = user_symbols_new()))
		user_symbols_prefetch(run->usyms, run->target.tgid);
	if (trace_print_header(&run->printer) || fflush(run->printer.out))
		return -1;
	return 0;
}

/*
 * Records until stopped, the duration is over, the output is gone, or the
 * traced task exits (as perf record -p does).
 */
static void trace_loop(struct trace_run *run, double duration)
{
	uint64_t end = run->printer.start_ns + (uint64_t)(duration * 1e9), now;
	int err, wait_ms;

	while (!live_stop && !run->target_exited) {
		/* -d ends on time, not at the next 100 ms poll: -F's count depends on it */
		now = monotonic_ns();
		if (duration && now >= end)
			break;
		wait_ms = duration && end - now < 100000000 ? (int)((end - now + 999999) / 1000000) :
			  100;
		if (run->filter->prefixes.n)
			container_filter_sync(run->filter, &run->cc, &run->ev.p);
		err = task_watch_drain(&run->target, run->rb, wait_ms, &run->target_exited);
		if (err < 0) {
			/*
			 * A trace cut short says so: it is not a quiet end. A
			 * write error stops the read too (handle_event), and is
			 * named as one by outfile_finish or main, not as a read.
			 */
			if (!run->failed)
				read_failure_add(&run->read_failed, "ring buffer", err);
			break;
		}
		if (fflush(run->printer.out)) {
			run->failed = true;
			break;
		}
	}
	/*
	 * The programs run on: their counters are read once, and the records
	 * then in the buffer printed up to that moment (or -d's end), so that
	 * the summary speaks of the records printed. A task's last events
	 * precede its exit.
	 */
	err = vm_stream_counters(&run->ev, &run->totals);
	if (err) {
		memset(&run->totals, 0, sizeof(run->totals));
		read_failure_add(&run->read_failed, "per-CPU counts", err);
	}
	now = monotonic_ns();
	run->stop_ns = duration && now > end ? end : now;
	if (!run->failed)
		ring_buffer_drain(run->rb, 0);
	if (run->target_exited)
		fprintf(stderr, "kvas trace: %s %d (%s) exited\n",
			run->target.thread ? "thread" : "process", run->target.id,
			run->target.comm);
}

/*
 * How remote flushes went while trace ran: the requests and receipts it
 * counted (its filters' share) against the machine's TLB interrupts.
 */
static void judge_flushes(struct trace_run *run, const struct vm_counters *totals,
			  struct remote_flush_verdict *v)
{
	struct remote_flush_window w = {
		.tlb_traced = true, .sends = totals->tlb_class[TLBC_SENT],
		.received = totals->tlb_class[TLBC_REMOTE],
	};
	uint64_t irqs;

	w.send_path = vm_programs_send_path(&run->ev.p);
	w.sends_filtered = run->filtered;
	w.interrupts_known = run->mark.irqs_known && tlb_interrupts_read(&irqs);
	if (w.interrupts_known)
		w.tlb_interrupts = irqs >= run->mark.irqs ? irqs - run->mark.irqs : 0;
	remote_flush_decide(&run->host, &w, v);
}

/* The summary: a last JSON line, and lines on stderr. */
static void trace_summary(struct trace_run *run)
{
	const struct vm_counters *totals = &run->totals;
	struct remote_flush_verdict flushes;

	json_t *summary;

	read_failures_tell(&(struct read_failures){ 0 }, &run->read_failed, "trace", stderr);
	if (run->tlb_traced)
		judge_flushes(run, totals, &flushes);
	if (run->printer.format == TRACE_JSON && !run->failed) {
		summary = trace_summary_json(&run->printer, totals, vm_parts_json(run->ev.p.parts),
					     run->tlb_traced ? &flushes : NULL);
		json_object_set_new(summary, "read_errors", read_failures_json(&run->read_failed));
		json_emit_line(summary, run->printer.out);
	}
	if (fflush(run->printer.out) || ferror(run->printer.out))
		run->failed = true;
	/* after a write error, only the records that went out whole are written */
	fprintf(stderr, "kvas trace: %llu records written, %llu events lost, %llu sampled away\n",
		(unsigned long long)(run->failed ? run->of.stream->records_taken :
				     run->printer.written), (unsigned long long)totals->dropped,
		(unsigned long long)totals->sampled_away);
	if (run->tlb_traced && totals->tlb_class[TLBC_SENT])
		fprintf(stderr, "kvas trace: remote TLB flushes go by %s (%s)\n",
			remote_flush_method_name(flushes.method), flushes.evidence);
}

int trace_run(struct trace_cfg *cfg, const struct cli_opts *o)
{
	struct trace_run run = { .printer.format = cfg->csv ? TRACE_CSV :
						   o->json ? TRACE_JSON : TRACE_TEXT };
	int status = EXIT_RUNTIME;

	live_signals();
	/* a write error is named by outfile_finish, or for stdout by main */
	if (!trace_start(&run, cfg)) {
		trace_loop(&run, o->duration);
		trace_summary(&run);
		/* a trace cut short by a failed read is no success */
		status = run.read_failed.nr ? EXIT_RUNTIME : EXIT_OK;
	}
	ring_buffer_close(run.rb);
	vm_stream_close(&run.ev);
	task_watch_close(&run.target);
	if (outfile_finish(&run.of, status == EXIT_OK, "trace"))
		status = EXIT_RUNTIME;
	if (run.ksyms) {
		ksyms_free(run.ksyms);
		free(run.ksyms);
	}
	user_symbols_free(run.usyms);
	cgroup_cache_free(&run.cc);
	live_release(&run.tr, run.d);
	return status;
}
