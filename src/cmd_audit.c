// SPDX-License-Identifier: GPL-2.0
/* kvas audit: a container host's KASLR and direct-map posture. */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_checks.h"
#include "commands.h"
#include "dmap_report.h"
#include "json_util.h"
#include "live.h"
#include "secretmem.h"

/* Exit status when a finding reaches --fail-on. */
#define EXIT_FINDINGS 3

static const char audit_usage[] =
"Usage: kvas audit [OPTIONS]\n"
"\n"
"A container host's KASLR and direct-map posture. Each check gives pass,\n"
"warn, fail or unknown, its evidence, and why it matters:\n"
"  KASLR                text and memory randomization, slots and bits of entropy\n"
"  Unprivileged view    what a process without privileges can read or do (probed\n"
"                       for real, as --user), and the sysctls behind it\n"
"  Kernel configuration RANDOMIZE_*, PTI, PROC_KCORE, STRICT_DEVMEM, KALLSYMS_ALL,\n"
"                       HARDENED_USERCOPY; the command line: nokaslr, nopti,\n"
"                       mitigations=off\n"
"  CPU vulnerabilities  /sys/devices/system/cpu/vulnerabilities\n"
"  Direct map           its share in 4K pages, splits since boot, memfd_secret\n"
"  Tenants              page faults and TLB shootdowns per container, measured\n"
"                       over --interval\n"
"\n"
"Options:\n"
"  -i, --interval SECONDS  how long to measure the tenants (default 5)\n"
"  -f, --fail-on warn|fail exit 3 when a finding is this bad or worse (default fail)\n"
"  -u, --user NAME|UID     the unprivileged user to probe as (default nobody)\n"
"  -j, --json              one JSON document\n"
"  -v, --verbose           show libbpf's messages\n"
"  -h, --help              this text\n"
"\n"
"Exit status: 0 no finding reaches --fail-on, 3 one does, 1 runtime error,\n"
"2 usage error.\n"
"\n"
"Examples:\n"
"  sudo kvas audit\n"
"  sudo kvas audit --json -i 10 | jq '.findings[] | select(.result != \"pass\")'\n"
"  sudo kvas audit --fail-on warn -i 1 || echo 'needs attention'\n";

static int parse_user(const char *s, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(s);
	char *end;
	long v;

	if (pw) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
		return 0;
	}
	v = strtol(s, &end, 10);
	if (*end || end == s || v <= 0 || v > 0x7fffffff)
		return -1;	/* uid 0 would probe nothing */
	*uid = (uid_t)v;
	*gid = (gid_t)v;
	return 0;
}

/* Page faults and TLB flushes per container over the interval. */
static int measure_tenants(struct translator *tr, double interval, struct top_report *r,
			   struct cgroup_cache *cc)
{
	struct vmevents_config cfg = {
		.aggregate = true,
		.record_mask = VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
			       VM_MASK(VM_TLB_FLUSH),
		.max_tasks = 16384,
	};
	struct top_snapshot prev = { 0 }, cur = { 0 };
	struct vmevents ev = { 0 };
	char why[200];
	int err = -1;

	if (vmevents_open(&ev, &cfg, &tr->ctx, why, sizeof(why))) {
		fprintf(stderr, "kvas audit: tenants not measured: %s\n", why);
		return -1;
	}
	if (!top_snapshot_take(&ev, &prev) && !live_wait((int)(interval * 1000)) &&
	    !top_snapshot_take(&ev, &cur)) {
		top_report_build(r, &prev, &cur, TOP_BY_CGROUP, 1000, cc);
		memcpy(r->parts, ev.parts, sizeof(r->parts));
		err = 0;
	}
	top_snapshot_free(&prev);
	top_snapshot_free(&cur);
	vmevents_close(&ev);
	return err;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ "user", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct audit_inputs in = { .uid = 65534, .gid = 65534 };
	struct layout_report *lr = calloc(1, sizeof(*lr));
	struct top_report tenants = { 0 };
	struct cgroup_cache cc = { 0 };
	struct translator tr = { 0 };
	struct dmap_facts facts = { 0 };
	struct dmap_look look = { 0 };
	struct discovery *d = NULL;
	struct audit a = { 0 };
	double interval = 5;
	bool json = false, verbose = false, have_tenants = false;
	int fail_on = AUDIT_FAIL, c, status = EXIT_RUNTIME;
	char secret_why[160] = "";

	if (!lr) {
		fprintf(stderr, "kvas audit: out of memory\n");
		return EXIT_RUNTIME;
	}
	parse_user("nobody", &in.uid, &in.gid);	/* else 65534, as initialized */
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:f:u:jvh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			interval = parse_seconds(optarg);
			if (interval < 0) {
				fprintf(stderr, "kvas audit: invalid interval '%s': seconds, more than 0\n",
					optarg);
				goto usage;
			}
			break;
		case 'f':
			fail_on = audit_severity_parse(optarg);
			if (fail_on < 0) {
				fprintf(stderr, "kvas audit: --fail-on takes warn or fail, not '%s'\n",
					optarg);
				goto usage;
			}
			break;
		case 'u':
			if (parse_user(optarg, &in.uid, &in.gid)) {
				fprintf(stderr, "kvas audit: no such unprivileged user '%s'\n", optarg);
				goto usage;
			}
			break;
		case 'j': json = true; break;
		case 'v': verbose = true; break;
		case 'h': fputs(audit_usage, stdout); free(lr); return EXIT_OK;
		default:
			usage_bad_option("audit", argc, argv);
			goto usage;
		}
	}
	if ((c = options_done("audit", argc, argv, verbose)) >= 0) {
		free(lr);
		return c;
	}
	live_signals();

	d = live_layout(&tr, "audit");
	if (!d)
		goto out;
	layout_report_build(d, lr);
	in.d = d;
	in.layout = lr;
	in.page_struct_size = tr.ctx.page_struct_size;
	if (d->iomem.nr_ram && !dmap_facts_init(&facts, &d->iomem, &tr.ctx) &&
	    !dmap_look_take(&look, &tr, &facts) && !look.walk_err)
		in.dmap = &look.sum;
	else
		direct_map_stats_read(&look.stats);
	in.dmap_stats = &look.stats;
	in.secretmem = secretmem_available(&d->kconfig, secret_why, sizeof(secret_why));
	in.secretmem_why = secret_why;
	cgroup_cache_init(&cc);
	have_tenants = !measure_tenants(&tr, interval, &tenants, &cc);
	if (live_stop) {
		fprintf(stderr, "kvas audit: interrupted\n");
		goto out;
	}
	in.tenants = have_tenants ? &tenants : NULL;

	audit_kaslr(&a, &in);
	audit_exposure(&a, &in);
	audit_config(&a, &in);
	audit_vulnerabilities(&a, "/sys/devices/system/cpu/vulnerabilities");
	audit_direct_map(&a, &in);
	audit_tenants(&a, &in);
	if (json) {
		if (json_emit(audit_json(&a, fail_on), stdout))
			goto out;
	} else {
		audit_text(&a, stdout);
		if (fflush(stdout))
			goto out;
	}
	status = audit_reaches(&a, fail_on) ? EXIT_FINDINGS : EXIT_OK;
out:
	audit_free(&a);
	if (have_tenants)
		top_report_free(&tenants);
	cgroup_cache_free(&cc);
	dmap_look_free(&look);
	dmap_facts_release(&facts);
	live_release(&tr, d);
	free(lr);
	return status;
usage:
	free(lr);
	return EXIT_USAGE;
}
