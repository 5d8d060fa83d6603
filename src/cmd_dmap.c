// SPDX-License-Identifier: GPL-2.0
/* kvas dmap: how the direct map is used, once or live. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "commands.h"
#include "libbpf_log.h"
#include "dmap_changes.h"
#include "dmap_report.h"
#include "json_util.h"
#include "live.h"
#include "secretmem.h"
#include "vmevents.h"

static const char dmap_usage[] =
"Usage: kvas dmap [OPTIONS]\n"
"\n"
"How the direct map (the kernel's linear map of all physical memory) is\n"
"used: which physical ranges it maps and which it skips (/proc/iomem),\n"
"its page-size mix from a walk of its page tables in BPF set against\n"
"DirectMap* in /proc/meminfo, where the 4K and 2M pieces are, the splits\n"
"since boot, and whether memfd_secret can take pages out of it.\n"
"\n"
"With -i, live: the counters every interval and each change as it happens,\n"
"with the process and kernel stack that made it (fentry or kprobes on\n"
"__change_page_attr_set_clr and set_direct_map_*, where the kernel has\n"
"them), and kernel accesses that fault inside the direct map.\n"
"\n"
"Options:\n"
"  -i, --interval SECONDS  live: report every SECONDS\n"
"  -d, --duration SECONDS  live: stop after this long (default: until q or Ctrl-C)\n"
"  -n, --pieces N          4K and 2M runs listed in the text report (default 20)\n"
"  -j, --json              JSON (live: JSON Lines, the report then one per interval)\n"
"  -v, --verbose           show libbpf's messages\n"
"  -h, --help              this text\n"
"\n"
"Examples:\n"
"  sudo kvas dmap\n"
"  sudo kvas dmap --json | jq .page_sizes\n"
"  sudo kvas dmap -i 1       # then load a module, or fault in a memfd_secret page\n";

struct dmap_run_ctx {
	struct translator tr;
	struct dmap_facts facts;
	struct dmap_events events;
};

static int on_change(void *ctx, void *data, size_t len)
{
	struct dmap_events *ev = ctx;

	if (len < sizeof(struct dmap_change))
		return 0;
	if (ev->nr_changes < DMAP_MAX_EVENTS)
		memcpy(&ev->changes[ev->nr_changes++], data, sizeof(struct dmap_change));
	else
		ev->changes_over++;
	return 0;
}

static int on_fault(void *ctx, void *data, size_t len)
{
	struct dmap_events *ev = ctx;
	const struct vm_event *e = data;

	if (len < sizeof(*e) || e->kind != VM_FAULT_KERNEL)
		return 0;	/* translations of earlier faults: not needed here */
	if (ev->nr_faults < DMAP_MAX_EVENTS)
		ev->faults[ev->nr_faults++] = *e;
	else
		ev->faults_over++;
	return 0;
}

/* Indented alone; one line each in the live mode's JSON Lines. */
static bool emit_json(json_t *o, const char *type, bool line)
{
	json_t *root = json_object();

	json_object_set_new(root, "type", json_string(type));
	json_object_update(root, o);
	json_decref(o);
	return (line ? json_emit_line(root, stdout) : json_emit(root, stdout)) == 0;
}

static int run_live(struct dmap_run_ctx *rc, struct dmap_changes *dc, struct dmap_look *prev,
		    double interval, double duration, bool json)
{
	struct vmevents_config cfg = {
		.stream = true, .record_mask = VM_MASK(VM_FAULT_KERNEL),
		.kernel_fault_region = FR_DIRECT_MAP + 1, .ringbuf_bytes = 256 * 1024,
	};
	struct vmevents ev = { 0 };
	struct ring_buffer *rb = NULL;
	struct ksyms ks = { 0 };
	bool have_ks = false;
	double started = prev->time;
	int status = EXIT_RUNTIME;
	char why[200];
	FILE *f;

	if (vmevents_open(&ev, &cfg, &rc->tr.ctx, why, sizeof(why))) {
		fprintf(stderr, "kvas dmap: %s\n", why);
		return EXIT_RUNTIME;
	}
	rb = ring_buffer__new(vmevents_ringbuf_fd(&ev), on_fault, &rc->events, NULL);
	if (rb && dc->skel && ring_buffer__add(rb, dmap_changes_ringbuf_fd(dc), on_change,
					       &rc->events)) {
		ring_buffer__free(rb);
		rb = NULL;
	}
	if (!rb) {
		fprintf(stderr, "kvas dmap: cannot open the ring buffers: %s\n", strerror(errno));
		goto out;
	}
	f = fopen("/proc/kallsyms", "re");
	if (f) {
		have_ks = !ksyms_load(&ks, f);
		fclose(f);
	}
	live_keys_raw();
	status = EXIT_OK;
	while (!live_stop) {
		struct dmap_look cur;
		double wait = interval;
		bool ok;

		if (duration && started + duration - prev->time < wait)
			wait = started + duration - prev->time;
		/* poll in slices, so that a burst does not overflow the buffers */
		for (double left = wait; left > 0 && !live_stop; left -= 0.1) {
			if (live_wait(left < 0.1 ? (int)(left * 1000) : 100))
				break;
			ring_buffer__consume(rb);
		}
		if (live_stop)
			break;
		ring_buffer__consume(rb);
		if (dmap_look_take(&cur, &rc->tr, &rc->facts)) {
			fprintf(stderr, "kvas dmap: the walk failed\n");
			status = EXIT_RUNTIME;
			break;
		}
		if (json)
			ok = emit_json(dmap_interval_json(&rc->facts, prev, &cur, &rc->events,
							  have_ks ? &ks : NULL), "interval", true);
		else {
			dmap_interval_text(&rc->facts, prev, &cur, &rc->events,
					   have_ks ? &ks : NULL, stdout);
			ok = fflush(stdout) == 0;
		}
		memset(&rc->events, 0, sizeof(rc->events));
		dmap_look_free(prev);
		*prev = cur;
		if (!ok || (duration && prev->time - started >= duration - 1e-3))
			break;
	}
	live_keys_restore();
	if (dmap_changes_lost(dc))
		fprintf(stderr, "kvas dmap: %llu changes lost (ring buffer full)\n",
			(unsigned long long)dmap_changes_lost(dc));
out:
	if (have_ks)
		ksyms_free(&ks);
	ring_buffer__free(rb);
	vmevents_close(&ev);
	return status;
}

int cmd_dmap(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "pieces", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct dmap_run_ctx *rc = calloc(1, sizeof(*rc));
	struct dmap_changes dc = { 0 };
	struct dmap_look look = { 0 };
	struct discovery *d = NULL;
	double interval = 0, duration = 0;
	bool json = false, verbose = false;
	int pieces = 20, c, status = EXIT_RUNTIME;
	char *end;

	if (!rc) {
		fprintf(stderr, "kvas dmap: out of memory\n");
		return EXIT_RUNTIME;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:d:n:jvh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
		case 'd':
			if (parse_seconds(optarg) < 0) {
				fprintf(stderr, "kvas dmap: invalid %s '%s': seconds, more than 0\n",
					c == 'i' ? "interval" : "duration", optarg);
				free(rc);
				return EXIT_USAGE;
			}
			*(c == 'i' ? &interval : &duration) = parse_seconds(optarg);
			break;
		case 'n':
			pieces = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || pieces < 0 || pieces > 1000000) {
				fprintf(stderr, "kvas dmap: invalid count '%s'\n", optarg);
				free(rc);
				return EXIT_USAGE;
			}
			break;
		case 'j': json = true; break;
		case 'v': verbose = true; break;
		case 'h': fputs(dmap_usage, stdout); free(rc); return EXIT_OK;
		default:
			usage_bad_option("dmap", argc, argv);
			free(rc);
			return EXIT_USAGE;
		}
	}
	if (duration && !interval) {
		fprintf(stderr, "kvas dmap: -d needs -i (a duration is for the live mode)\n");
		free(rc);
		return EXIT_USAGE;
	}
	if ((c = options_done("dmap", argc, argv, verbose)) >= 0) {
		free(rc);
		return c;
	}
	live_signals();

	d = live_layout(&rc->tr, "dmap");
	if (!d)
		goto out;
	if (!d->iomem.nr_ram) {
		fprintf(stderr, "kvas dmap: /proc/iomem lists no System RAM%s\n",
			d->iomem.censored ? " (its addresses are hidden)" : "");
		goto out;
	}
	c = dmap_facts_init(&rc->facts, &d->iomem, &rc->tr.ctx);
	if (c) {
		char why[200];

		fprintf(stderr, "kvas dmap: cannot load the direct-map walker: %s\n",
			libbpf_load_failure(c, why, sizeof(why)));
		goto out;
	}
	if (!dmap_changes_open(&dc, &d->kconfig, rc->facts.attribution_why,
			       sizeof(rc->facts.attribution_why)))
		rc->facts.attribution = dc.method;
	rc->facts.secretmem = secretmem_available(&d->kconfig, rc->facts.secretmem_why,
						  sizeof(rc->facts.secretmem_why));
	if (!interval)
		dmap_changes_close(&dc);	/* it only had to say whether it can */
	if (dmap_look_take(&look, &rc->tr, &rc->facts)) {
		fprintf(stderr, "kvas dmap: cannot walk the direct map: %s\n",
			strerror(-look.walk_err));
		goto out;
	}
	if (json) {
		if (!emit_json(dmap_report_json(&rc->facts, &look), "report", interval > 0))
			goto out;
	} else {
		dmap_report_text(&rc->facts, &look, pieces, stdout);
		if (interval)
			fputs("\n", stdout);
		if (fflush(stdout))
			goto out;
	}
	status = interval ? run_live(rc, &dc, &look, interval, duration, json) : EXIT_OK;
out:
	dmap_changes_close(&dc);
	dmap_look_free(&look);
	dmap_facts_release(&rc->facts);
	live_release(&rc->tr, d);
	free(rc);
	return status;
}
