// SPDX-License-Identifier: GPL-2.0
/* kvas trace: page faults and TLB flushes one by one, sampled perf-style. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpf_setup.h"
#include "cgroup_cache.h"
#include "container_filter.h"
#include "containers.h"
#include "json_util.h"
#include "ksyms.h"
#include "live.h"
#include "options.h"
#include "outfile.h"
#include "parse_num.h"
#include "remote_flush_host.h"
#include "task_watch.h"
#include "trace_output.h"
#include "user_symbols.h"
#include "vm_decode.h"
#include "vmevents.h"

static const char trace_usage[] =
"Usage: kvas trace [OPTIONS]\n"
"\n"
"Page faults and TLB flushes, one line each: time, CPU, pid, tid, comm,\n"
"cgroup, event, address, region, decoded error code, the ip and its symbol\n"
"(for user faults, and the file it is in); and, once the fault has\n"
"resolved, a translation line with the physical address, page size and\n"
"direct-map alias. Filters run in the kernel. Events lost to a full\n"
"buffer are counted and reported.\n"
"\n"
"Options:\n"
"  -e, --events LIST     fault-user, fault-kernel, tlb-flush (comma-separated;\n"
"                        default all)\n"
"  -p, --pid PID         only this process; the trace ends when it exits\n"
"  -t, --tid TID         only this thread; the trace ends when it exits\n"
"      --comm NAME       only tasks with this name\n"
"      --cgroup PATH     only this cgroup v2 (path under the cgroup2 mount)\n"
"  -C, --container ID    only these containers: a full id or a prefix of at\n"
"                        least 4 hex digits; repeat it or give a comma list.\n"
"                        Containers started later are traced too.\n"
"  -c, --count N         keep every Nth event per CPU (like perf record -c)\n"
"  -F, --freq RATE       keep at most RATE events per second, all CPUs together\n"
"      --buffer-size KB  ring buffer size (power of two, default 16384)\n"
"  -d, --duration SECONDS  stop after this long\n"
"  -o, --output FILE     write to FILE, checked before tracing starts: a new\n"
"                        file (mode 0600) appears whole at the end; a device,\n"
"                        FIFO or /dev/stdout is written as it goes; a\n"
"                        symlink's target is written; a directory is refused\n"
"      --force           let -o replace an existing file (its mode is kept)\n"
"  -j, --json            JSON Lines, ending with a summary line\n"
"      --csv             CSV with a header row\n"
"  -v, --verbose         show libbpf's messages\n"
"  -h, --help            this text\n"
"\n"
"A -p or -t that names no such task is an error (exit 1) before anything\n"
"is loaded. A write error (a full disk) is named, what was written is kept,\n"
"and kvas exits 1. SIGINT, SIGTERM, SIGHUP and SIGQUIT end a trace cleanly.\n"
"\n"
"Examples:\n"
"  sudo kvas trace -p 1 -d 5\n"
"  sudo kvas trace -e tlb-flush -c 100 -d 10\n"
"  sudo kvas trace --cgroup \"$(sed -n 's/^0:://p' /proc/self/cgroup)\" --json -o faults.jsonl -d 10\n"
"  sudo kvas trace -F 1000 --csv | head\n"
"  sudo kvas trace --container 4f1c2d3e -e fault-user -d 10\n";


static const struct option trace_long[] = {
	{ "events", required_argument, NULL, 'e' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "container", required_argument, NULL, 'C' },
	{ "count", required_argument, NULL, 'c' },
	{ "freq", required_argument, NULL, 'F' },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
	{ "output", required_argument, NULL, 'o' },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ 0 },
};

static int trace_option(void *cfg, int opt, const char *arg);

static const struct cli_command trace_cli = {
	"trace", trace_usage, CLI_DURATION | CLI_JSON, "e:p:t:c:F:o:C:", trace_long, NULL,
	trace_option, 0,
};

/* What the command line asks for. */
struct trace_cfg {
	struct vmevents_config ev;
	const char *cgroup;		/* --cgroup, until resolved to ev.cgroup */
	const char *output;		/* -o */
	bool force;			/* --force: -o may replace a file */
	bool csv;
	struct container_filter filter;	/* --container */
};

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
	struct vmevents ev;
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

static int parse_events(const char *arg, uint32_t *mask)
{
	char buf[128], *tok, *save = NULL;

	*mask = 0;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int k = vm_event_by_name(tok);

		if (!strcmp(tok, "faults"))
			*mask |= VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL);
		else if (!strcmp(tok, "all"))
			*mask |= VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
				 VM_MASK(VM_TLB_FLUSH);
		else if (k >= 0)
			*mask |= VM_MASK(k);
		else
			return -1;
	}
	return *mask ? 0 : -1;
}

/* --buffer-size: KB, a power of two, as the ring buffer map requires. */
static int buffer_size(const char *arg, uint32_t *bytes)
{
	uint64_t kb;

	if (parse_u64(arg, 4, 1 << 20, &kb) || (kb & (kb - 1))) {
		fprintf(stderr, "kvas trace: --buffer-size takes a power of two in KB, 4 to 1048576\n");
		return -1;
	}
	*bytes = (uint32_t)(kb * 1024);
	return 0;
}

static int trace_option(void *cfg, int opt, const char *arg)
{
	struct trace_cfg *c = cfg;
	uint64_t v;

	switch (opt) {
	case 'e':
		if (!parse_events(arg, &c->ev.record_mask))
			return 0;
		fprintf(stderr, "kvas trace: unknown event in '%s' (fault-user, fault-kernel, tlb-flush, faults, all)\n", arg);
		return -1;
	case 'p':
	case 't':
		if (cli_u64(&trace_cli, opt == 'p' ? "-p, --pid" : "-t, --tid", arg, 1, 4194304, &v))
			return -1;
		*(opt == 'p' ? &c->ev.tgid : &c->ev.tid) = (pid_t)v;
		return 0;
	case OPT_COMM:
		if (!arg[0] || strlen(arg) > 15) {
			fprintf(stderr, "kvas trace: --comm takes a task name of 1 to 15 characters\n");
			return -1;
		}
		c->ev.comm = arg;
		return 0;
	case 'c':
		if (cli_u64(&trace_cli, "-c, --count", arg, 1, 1 << 30, &v))
			return -1;
		c->ev.sample_every = (uint32_t)v;
		return 0;
	case 'F':
		return cli_u64(&trace_cli, "-F, --freq", arg, 1, 1 << 30, &c->ev.rate);
	case OPT_BUFFER_SIZE: return buffer_size(arg, &c->ev.ringbuf_bytes);
	case OPT_CGROUP:
		if (!arg[0]) {
			fprintf(stderr, "kvas trace: --cgroup takes a cgroup path as kvas top prints it"
				" (\"/\" for the root), not ''\n");
			return -1;
		}
		c->cgroup = arg;
		return 0;
	case 'C': return cli_containers(&trace_cli, arg, &c->filter.prefixes, &c->ev.filter_cgroups);
	case 'o':
		if (!arg[0]) {
			fprintf(stderr, "kvas trace: --output takes a file name, not ''\n");
			return -1;
		}
		c->output = arg;
		return 0;
	case OPT_CSV: c->csv = true; return 0;
	case OPT_FORCE: c->force = true; return 0;
	}
	return -1;
}

/* The symbol of a kernel fault's ip; kallsyms is read once, when first needed. */
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
	if (!container_filter_allows(run->filter, &run->cc, &run->ev, e->cgroup))
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
	if (vmevents_open(&run->ev, &cfg->ev, &run->tr.ctx, why, sizeof(why))) {
		fprintf(stderr, "kvas trace: %s\n", why);
		return -1;
	}
	vm_parts_text(run->ev.parts, stderr);
	run->filter = &cfg->filter;
	if (cfg->filter.prefixes.n && !container_filter_sync(run->filter, &run->cc, &run->ev))
		fprintf(stderr, "kvas trace: no container matches --container yet;"
			" tracing from when one starts\n");
	run->rb = ring_buffer_open(vmevents_ringbuf_fd(&run->ev), handle_event, run);
	if (!run->rb) {
		fprintf(stderr, "kvas trace: cannot open the ring buffer: %s\n", strerror(errno));
		return -1;
	}
	run->printer.layout = &run->tr.ctx;
	run->tlb_traced = (cfg->ev.record_mask & VM_MASK(VM_TLB_FLUSH)) &&
			  run->ev.parts[VM_PART_TLB_FLUSHES].on;
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
			container_filter_sync(run->filter, &run->cc, &run->ev);
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
	err = vmevents_counters(&run->ev, &run->totals);
	if (err) {
		memset(&run->totals, 0, sizeof(run->totals));
		read_failure_add(&run->read_failed, "CPU states table", err);
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

	w.send_path = vmevents_send_path(&run->ev);
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
		summary = trace_summary_json(&run->printer, totals, vm_parts_json(run->ev.parts),
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

static int trace_run(struct trace_cfg *cfg, const struct cli_opts *o)
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
	vmevents_close(&run.ev);
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

int cmd_trace(int argc, char **argv)
{
	struct trace_cfg cfg = {
		.ev = {
			.stream = true, .translate_every = 1, .sample_every = 1,
			.record_mask = VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
				       VM_MASK(VM_TLB_FLUSH),
			.ringbuf_bytes = 16384 * 1024,
		},
	};
	struct cli_opts o = { 0 };
	int st = cli_parse(&trace_cli, argc, argv, &o, &cfg);

	if (st == CLI_GO && cfg.csv && o.json) {
		fprintf(stderr, "kvas trace: --csv and --json do not go together\n");
		st = EXIT_USAGE;
	}
	if (st == CLI_GO)
		st = cli_start(&trace_cli, &o);
	return st == CLI_GO ? trace_run(&cfg, &o) : st;
}
