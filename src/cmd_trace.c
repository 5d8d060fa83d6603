// SPDX-License-Identifier: GPL-2.0
/* kvas trace: page faults and TLB flushes one by one, sampled perf-style. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "commands.h"
#include "live.h"
#include "trace_output.h"
#include "vm_decode.h"
#include "vmevents.h"

static const char trace_usage[] =
"Usage: kvas trace [OPTIONS]\n"
"\n"
"Page faults and TLB flushes, one line each: time, CPU, pid, tid, comm,\n"
"cgroup, event, address, region, decoded error code, for kernel faults the\n"
"ip and its symbol; and, once the fault has resolved, a translation line\n"
"with the physical address, page size and direct-map alias. Filters run in\n"
"the kernel. Events lost to a full buffer are counted and reported.\n"
"\n"
"Options:\n"
"  -e, --events LIST     fault-user, fault-kernel, tlb-flush (comma-separated;\n"
"                        default all)\n"
"  -p, --pid PID         only this process\n"
"  -t, --tid TID         only this thread\n"
"      --comm NAME       only tasks with this name\n"
"      --cgroup PATH     only this cgroup v2 (path under the cgroup2 mount)\n"
"  -c, --count N         keep every Nth event per CPU (like perf record -c)\n"
"  -F, --freq RATE       keep at most RATE events per second\n"
"  -b, --buffer-size KB  ring buffer size (power of two, default 16384)\n"
"  -d, --duration SECONDS  stop after this long\n"
"  -o, --output FILE     write to FILE (mode 0600; complete or not at all)\n"
"  -j, --json            JSON Lines, ending with a summary line\n"
"      --csv             CSV with a header row\n"
"  -v, --verbose         show libbpf's messages\n"
"  -h, --help            this text\n"
"\n"
"Examples:\n"
"  sudo kvas trace -p 1234\n"
"  sudo kvas trace -e tlb-flush -c 100 -d 10\n"
"  sudo kvas trace --cgroup /system.slice/docker-1f2e.scope --json -o faults.jsonl\n"
"  sudo kvas trace -F 1000 --csv | head\n";

struct trace_run {
	struct trace_printer printer;
	bool failed;
};

static int handle_event(void *ctx, void *data, size_t len)
{
	struct trace_run *run = ctx;

	if (len < sizeof(struct vm_event))
		return 0;
	if (trace_print(&run->printer, data)) {
		run->failed = true;
		live_stop = 1;
		return -EIO;	/* stops ring_buffer__poll */
	}
	return 0;
}

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

static long parse_long(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || end == s || v < min || v > max ? -1 : v;
}

/* -o: a temporary file beside FILE, renamed over it only on success. */
static FILE *open_output(const char *path, char *tmp, size_t len)
{
	char dir[1024];
	int fd;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(tmp, len, "%s/.%s.kvas-XXXXXX", dirname(dir), basename((char *)path));
	fd = mkstemp(tmp);	/* mode 0600 */
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
	}
	return f;
}

int cmd_trace(int argc, char **argv)
{
	enum { OPT_COMM = 256, OPT_CGROUP, OPT_CSV };
	static const struct option opts[] = {
		{ "events", required_argument, NULL, 'e' },
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "count", required_argument, NULL, 'c' },
		{ "freq", required_argument, NULL, 'F' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct vmevents_config cfg = {
		.stream = true, .translate_every = 1, .sample_every = 1,
		.record_mask = VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
			       VM_MASK(VM_TLB_FLUSH),
		.ringbuf_bytes = 16384 * 1024,
	};
	const char *cgroup_arg = NULL, *output = NULL;
	char tmp_path[1100] = "", why[200];
	struct trace_run run = { .printer = { .format = TRACE_TEXT, .out = stdout } };
	struct cgroup_cache cc = { 0 };
	struct translator tr = { 0 };
	struct ring_buffer *rb = NULL;
	struct vmevents ev = { 0 };
	struct discovery *d = NULL;
	struct vm_counters totals;
	double duration = 0;
	bool verbose = false;
	struct timespec ts;
	long v;
	int c, status = EXIT_RUNTIME;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "e:p:t:c:F:b:d:o:jvh", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (parse_events(optarg, &cfg.record_mask)) {
				fprintf(stderr, "kvas trace: unknown event in '%s' (fault-user, fault-kernel, tlb-flush, faults, all)\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'p':
		case 't':
			if ((v = parse_long(optarg, 1, 4194304)) < 0) {
				fprintf(stderr, "kvas trace: invalid %s '%s'\n", c == 'p' ? "pid" : "tid", optarg);
				return EXIT_USAGE;
			}
			*(c == 'p' ? &cfg.tgid : &cfg.tid) = (pid_t)v;
			break;
		case OPT_COMM:
			if (!optarg[0] || strlen(optarg) > 15) {
				fprintf(stderr, "kvas trace: --comm takes a task name of 1 to 15 characters\n");
				return EXIT_USAGE;
			}
			cfg.comm = optarg;
			break;
		case OPT_CGROUP: cgroup_arg = optarg; break;
		case 'c':
			if ((v = parse_long(optarg, 1, 1L << 30)) < 0) {
				fprintf(stderr, "kvas trace: invalid count '%s'\n", optarg);
				return EXIT_USAGE;
			}
			cfg.sample_every = (uint32_t)v;
			break;
		case 'F':
			if ((v = parse_long(optarg, 1, 1L << 30)) < 0) {
				fprintf(stderr, "kvas trace: invalid rate '%s'\n", optarg);
				return EXIT_USAGE;
			}
			cfg.rate = (uint64_t)v;
			break;
		case 'b':
			v = parse_long(optarg, 4, 1L << 20);
			if (v < 0 || (v & (v - 1))) {
				fprintf(stderr, "kvas trace: --buffer-size takes a power of two in KB, 4 to 1048576\n");
				return EXIT_USAGE;
			}
			cfg.ringbuf_bytes = (uint32_t)(v * 1024);
			break;
		case 'd':
			if ((duration = parse_seconds(optarg)) < 0) {
				fprintf(stderr, "kvas trace: invalid duration '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o': output = optarg; break;
		case 'j': run.printer.format = TRACE_JSON; break;
		case OPT_CSV: run.printer.format = TRACE_CSV; break;
		case 'v': verbose = true; break;
		case 'h': fputs(trace_usage, stdout); return EXIT_OK;
		default:
			usage_bad_option("trace", argc, argv);
			return EXIT_USAGE;
		}
	}
	if ((c = options_done("trace", argc, argv, verbose)) >= 0)
		return c;
	live_signals();

	cgroup_cache_init(&cc);
	if (cgroup_arg) {
		int err = cgroup_id_of(&cc, cgroup_arg, &cfg.cgroup);

		if (err) {
			fprintf(stderr, "kvas trace: cgroup '%s': %s\n", cgroup_arg,
				cc.mount[0] ? strerror(-err) : "no cgroup v2 mount");
			goto cleanup;
		}
	}
	d = live_layout(&tr, "trace");
	if (!d)
		goto cleanup;
	if (output) {
		run.printer.out = open_output(output, tmp_path, sizeof(tmp_path));
		if (!run.printer.out) {
			fprintf(stderr, "kvas trace: cannot create %s: %s\n", output, strerror(errno));
			run.printer.out = stdout;
			goto cleanup;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	run.printer.start_ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (vmevents_open(&ev, &cfg, &tr.ctx, why, sizeof(why))) {
		fprintf(stderr, "kvas trace: %s\n", why);
		goto cleanup;
	}
	vm_parts_text(ev.parts, stderr);
	rb = ring_buffer__new(vmevents_ringbuf_fd(&ev), handle_event, &run, NULL);
	if (!rb) {
		fprintf(stderr, "kvas trace: cannot open the ring buffer: %s\n", strerror(errno));
		goto cleanup;
	}
	run.printer.layout = &tr.ctx;
	run.printer.cgroups = &cc;
	if (trace_print_header(&run.printer) || fflush(run.printer.out))
		goto cleanup;

	while (!live_stop) {
		/*
		 * The BPF side wakes us only when the buffer fills (cheaper for
		 * the traced workload); a poll that times out consumes nothing,
		 * so drain whatever is there every round.
		 */
		int err = ring_buffer__poll(rb, 100);
		struct timespec now;

		if (err >= 0 || err == -EINTR)
			err = ring_buffer__consume(rb);
		if ((err < 0 && err != -EINTR) || fflush(run.printer.out))
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (duration && now.tv_sec * 1e9 + now.tv_nsec - run.printer.start_ns >= duration * 1e9)
			break;
	}
	if (!run.failed)
		ring_buffer__consume(rb);	/* what is already in the buffer */
	vmevents_counters(&ev, &totals);
	if (run.printer.format == TRACE_JSON && !run.failed) {
		json_t *summary = json_pack("{s:s, s:I, s:I, s:I, s:I, s:o}", "event", "summary",
					    "written", (json_int_t)run.printer.written,
					    "lost", (json_int_t)totals.dropped,
					    "sampled_away", (json_int_t)totals.sampled_away,
					    "translated", (json_int_t)totals.translated,
					    "unavailable", vm_parts_json(ev.parts));

		json_dumpf(summary, run.printer.out, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', run.printer.out);
		json_decref(summary);
	}
	if (fflush(run.printer.out) || ferror(run.printer.out))
		run.failed = true;
	fprintf(stderr, "kvas trace: %llu records written, %llu events lost, %llu sampled away\n",
		(unsigned long long)run.printer.written, (unsigned long long)totals.dropped,
		(unsigned long long)totals.sampled_away);
	/* A reader that went away (closed pipe) is a normal end, not an error. */
	status = run.failed && output ? EXIT_RUNTIME : EXIT_OK;
cleanup:
	ring_buffer__free(rb);
	vmevents_close(&ev);
	if (output && run.printer.out && run.printer.out != stdout) {
		bool ok = status == EXIT_OK && !fclose(run.printer.out);

		if (ok && rename(tmp_path, output)) {
			fprintf(stderr, "kvas trace: cannot write %s: %s\n", output, strerror(errno));
			ok = false;
			status = EXIT_RUNTIME;
		}
		if (!ok)
			unlink(tmp_path);
	}
	if (run.printer.ksyms) {
		ksyms_free(run.printer.ksyms);
		free(run.printer.ksyms);
	}
	cgroup_cache_free(&cc);
	live_release(&tr, d);
	return status;
}
