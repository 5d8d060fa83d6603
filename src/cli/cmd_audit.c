// SPDX-License-Identifier: GPL-2.0
/* kvas audit: a container host's KASLR and direct-map posture. */
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_checks.h"
#include "dmap_report.h"
#include "exposure.h"
#include "json_util.h"
#include "watch.h"
#include "options.h"
#include "parse_num.h"
#include "procfs_read.h"
#include "secretmem.h"
#include "top_snapshot.h"

/* Exit status when a finding reaches --fail-on. */
#define EXIT_FINDINGS 3

static const char audit_usage[] =
"Usage: kvas audit [OPTIONS]\n"
"\n"
"A container host's KASLR and direct-map posture. Each check gives pass,\n"
"warn, fail or unknown, its evidence, why it matters, and for warn and fail\n"
"what to do:\n"
"  KASLR                text and memory randomization, slots and bits of entropy\n"
"  Unprivileged view    what a process without privileges can read or do (probed\n"
"                       for real, as --user), and the sysctls behind it\n"
"  Kernel configuration RANDOMIZE_*, PTI, PROC_KCORE, STRICT_DEVMEM, KALLSYMS_ALL,\n"
"                       HARDENED_USERCOPY\n"
"  Kernel command line  nokaslr, nopti, mitigations= with each control it names\n"
"  CPU vulnerabilities  /sys/devices/system/cpu/vulnerabilities, each bug's remedy\n"
"  Direct map           its share in 4K pages, splits since boot, memfd_secret\n"
"  Tenants              page faults and TLB shootdowns of every cgroup, measured\n"
"                       over --duration\n"
"  Remote TLB flushes   how this kernel carries them out (IPIs, the hypervisor,\n"
"                       INVLPGB), judged from the host's requests and kvas's own\n"
"\n"
"Options:\n"
"  -d, --duration SECONDS  how long to measure the tenants (default 5)\n"
"  -f, --fail-on warn|fail exit 3 when a finding is this bad or worse (default fail)\n"
"  -u, --user NAME|UID     the unprivileged user to probe as (default nobody;\n"
"                          not root, by name or as uid 0)\n"
"  -j, --json              one JSON document\n"
"  -v, --verbose           show libbpf's messages\n"
"  -h, --help              this text\n"
"\n"
"Exit status: 0 no finding reaches --fail-on, 3 one does, 1 runtime error,\n"
"2 usage error.\n"
"\n"
"Examples:\n"
"  sudo kvas audit\n"
"  sudo kvas audit --json -d 10 | jq '.findings[] | select(.result != \"pass\")'\n"
"  sudo kvas audit --fail-on warn -d 1 || echo 'needs attention'\n";

struct audit_cfg {
	int fail_on;		/* enum audit_result */
	uid_t uid;		/* the unprivileged user to probe as */
	gid_t gid;
};

/* A user name, else a UID: 0, or -1 after the line that says why not. */
static int parse_user(const char *s, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(s);
	uint64_t v;

	if (pw) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else if (!parse_u64(s, 0, 0x7fffffff, &v)) {
		*uid = (uid_t)v;
		*gid = (gid_t)v;
	} else {
		fprintf(stderr, "kvas audit: no such user '%s' (a name or a UID)\n", s);
		return -1;
	}
	/* root reads and does everything: the unprivileged view would pass or fail for nothing */
	if (*uid == 0) {
		fprintf(stderr, "kvas audit: -u %s is root (uid 0), not an unprivileged user; name one, such as nobody\n",
			s);
		return -1;
	}
	return 0;
}

static int audit_option(void *cfg, int opt, const char *arg)
{
	struct audit_cfg *c = cfg;

	switch (opt) {
	case 'f':
		c->fail_on = audit_severity_parse(arg);
		if (c->fail_on >= 0)
			return 0;
		fprintf(stderr, "kvas audit: --fail-on takes warn or fail, not '%s'\n", arg);
		return -1;
	case 'u':
		return parse_user(arg, &c->uid, &c->gid);
	}
	return -1;
}

static const struct option audit_long[] = {
	{ "fail-on", required_argument, NULL, 'f' },
	{ "user", required_argument, NULL, 'u' },
	{ 0 },
};

static const struct cli_command audit_cli = {
	"audit", audit_usage, CLI_DURATION | CLI_JSON, "f:u:", audit_long, NULL, audit_option, 0,
};

/*
 * The step audit is at, on one line of stderr that each step overwrites:
 * only when stderr is a terminal and the output is text, for audit takes
 * seconds; erased before anything else is written.
 */
static bool progress_on, progress_shown;

__attribute__((format(printf, 1, 2)))
static void progress(const char *fmt, ...)
{
	va_list ap;

	if (!progress_on)
		return;
	fputs("\r\033[Kkvas audit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = true;
}

static void progress_end(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
}

/* live_wait, counting the seconds left down on the progress line. */
static bool wait_showing_progress(int ms)
{
	for (int left = ms; left > 0; left -= 1000) {
		progress("counting page faults and TLB flushes per cgroup: %d s left...",
			 (left + 999) / 1000);
		if (live_wait(left < 1000 ? left : 1000))
			return true;
	}
	return false;
}

/* Page faults and TLB flushes per container over the interval. */
static int measure_tenants(struct translator *tr, double interval, struct top_report *r,
			   struct cgroup_cache *cc)
{
	char why[200];

	progress("starting to count page faults and TLB flushes...");
	if (!top_measure(&tr->ctx, interval, wait_showing_progress, cc, r, why, sizeof(why)))
		return 0;
	progress_end();
	if (why[0])
		fprintf(stderr, "kvas audit: tenants not measured: %s\n", why);
	return -1;
}

/*
 * The direct map by a walk of its page tables, with the counters read beside
 * it; when it cannot be walked, the counters discovery read.
 */
static void direct_map_of(struct translator *tr, const struct discovery *d,
			  struct dmap_facts *facts, struct dmap_look *look,
			  struct audit_inputs *in)
{
	in->dmap_stats = &d->dmap;
	if (!d->iomem.nr_ram || dmap_facts_init(facts, &d->iomem, &tr->ctx))
		return;
	if (!dmap_look_take(look, tr, facts) && !look->walk_err)
		in->dmap = &look->sum;
	in->dmap_stats = &look->stats;
}

/* Judge the facts, print the findings: the exit status. */
static int audit_report(const struct audit_inputs *in, const struct audit_cfg *cfg, bool json)
{
	struct audit a = { 0 };
	int status = EXIT_RUNTIME;

	audit_kaslr(&a, in);
	audit_exposure(&a, in);
	audit_config(&a, in);
	audit_vulnerabilities(&a, in);
	audit_direct_map(&a, in);
	audit_tenants(&a, in);
	audit_flushes(&a, in);
	if (json) {
		if (json_emit(audit_json(&a, cfg->fail_on), stdout))
			goto out;
	} else {
		audit_text(&a, stdout);
		if (fflush(stdout))
			goto out;
	}
	status = audit_reaches(&a, cfg->fail_on) ? EXIT_FINDINGS : EXIT_OK;
out:
	audit_free(&a);
	return status;
}

static int audit_run(const struct audit_cfg *cfg, const struct cli_opts *o)
{
	struct audit_inputs in = { 0 };
	struct layout_report *lr = calloc(1, sizeof(*lr));
	struct exposure_facts exposure = { 0 };
	struct top_report tenants = { 0 };
	struct cgroup_cache cc = { 0 };
	struct translator tr = { 0 };
	struct dmap_facts facts = { 0 };
	struct dmap_look look = { 0 };
	struct ksyms ks = { 0 };
	struct discovery *d = NULL;
	double interval = o->duration;
	bool have_tenants = false;
	int status = EXIT_RUNTIME;
	char secret_why[160] = "";

	if (!lr) {
		fprintf(stderr, "kvas audit: out of memory\n");
		return EXIT_RUNTIME;
	}
	live_signals();
	progress_on = !o->json && isatty(STDERR_FILENO);
	progress("finding the layout...");
	d = live_layout(&tr, "audit");
	if (!d)
		goto out;
	layout_report_build(d, lr);
	in.d = d;
	in.layout = lr;
	in.page_struct_size = tr.ctx.page_struct_size;
	progress("walking the direct map...");
	direct_map_of(&tr, d, &facts, &look, &in);
	in.secretmem = secretmem_available(&d->kconfig, secret_why, sizeof(secret_why));
	in.secretmem_why = secret_why;
	cgroup_cache_init(&cc);
	have_tenants = !measure_tenants(&tr, interval, &tenants, &cc);
	if (live_stop) {
		progress_end();
		fprintf(stderr, "kvas audit: interrupted\n");
		goto out;
	}
	in.tenants = have_tenants ? &tenants : NULL;
	progress("probing what uid %u can read...", (unsigned)cfg->uid);
	if (exposure_read(cfg->uid, cfg->gid, "/sys/devices/system/cpu/vulnerabilities",
			  &exposure)) {
		progress_end();
		fprintf(stderr, "kvas audit: out of memory\n");
		goto out;
	}
	in.exposure = &exposure;
	progress("reading the kernel's symbols...");
	in.ksyms = kallsyms_read(&ks) ? NULL : &ks;
	progress_end();
	status = audit_report(&in, cfg, o->json);
out:
	progress_end();
	ksyms_free(&ks);
	exposure_free(&exposure);
	if (have_tenants)
		top_report_free(&tenants);
	cgroup_cache_free(&cc);
	dmap_look_free(&look);
	dmap_facts_release(&facts);
	live_release(&tr, d);
	free(lr);
	return status;
}

int cmd_audit(int argc, char **argv)
{
	struct audit_cfg cfg = { .fail_on = AUDIT_FAIL, .uid = 65534, .gid = 65534 };
	struct passwd *nobody = getpwnam("nobody");	/* else 65534, as initialized */
	struct cli_opts o = { .duration = 5 };
	int st;

	if (nobody && nobody->pw_uid) {
		cfg.uid = nobody->pw_uid;
		cfg.gid = nobody->pw_gid;
	}
	st = cli_parse(&audit_cli, argc, argv, &o, &cfg);
	if (st == CLI_GO)
		st = cli_start(&audit_cli, &o);
	return st == CLI_GO ? audit_run(&cfg, &o) : st;
}
