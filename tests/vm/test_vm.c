// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel matrix: boot Debian's distribution kernels (bookworm, trixie and
 * sid, generic and cloud flavors) under QEMU (TCG) in several configurations,
 * run kvas inside, and compare every value it reports, for every source it
 * says it used, with the ground truth that tests/vm/truth reads from
 * /proc/kallsyms and /proc/kcore in the same guest. Each test is named after
 * its kernel's series and flavor (e.g. 6.12-cloud-4level-kaslr-a); each
 * guest's console is kept in build/vm/<name>.log.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VM_DIR		"build/vm"
/*
 * A guest's checks wait for conditions, 60 s at most each: a guest that
 * fails several of them still gets to print everything before this.
 */
#define BOOT_TIMEOUT_S	480
#define PARALLEL_BOOTS	2
#define DEFAULT_TEXT	0xffffffff81000000ULL
/*
 * truth --secret's pages (guest-commands): 2 MiB of them, so that some land
 * where the direct map still has a 2M page and the kernel has to split it.
 */
#define SECRET_PAGES	512

struct vm_config {
	const char *suite;	/* Debian's kernel: build/vm/vmlinuz-SUITE-FLAVOR */
	const char *flavor;
	const char *what;	/* the test's name after the kernel's */
	int memory_mb;
	int cpus;		/* 2: the shootdown checks run; 0 or 1: one CPU */
	const char *cmdline;	/* added to the kernel command line */
	/* from the command line */
	bool no5lvl;		/* 4-level paging asked for */
	bool kaslr;		/* randomization expected active */
	bool kptr_restricted;	/* kptr_restrict=2 set before kvas runs */
	/* at run time */
	char release[65];	/* the kernel image's, e.g. 6.12.117+deb13-amd64 */
	char name[96];		/* e.g. 6.12-cloud-4level-kaslr-a */
	char *log;		/* console output, after the boot */
	int exit_status;
};

#define BOOKWORM	"bookworm", "amd64"
#define BOOKWORM_CLOUD	"bookworm", "cloud-amd64"
#define TRIXIE		"trixie", "amd64"
#define TRIXIE_CLOUD	"trixie", "cloud-amd64"
#define SID		"sid", "amd64"
#define SID_CLOUD	"sid", "cloud-amd64"
/* One guest per kernel series has two CPUs, for remote shootdowns. */
#define VM2(...)	VM2_(__VA_ARGS__)
#define VM2_(suite_, flavor_, what_, memory_mb_, cmdline_)			\
	{ .suite = suite_, .flavor = flavor_, .what = what_,			\
	  .memory_mb = memory_mb_, .cpus = 2, .cmdline = cmdline_ }
#define VM(...)		VM_(__VA_ARGS__)
#define VM_(suite_, flavor_, what_, memory_mb_, cmdline_)			\
	{ .suite = suite_, .flavor = flavor_, .what = what_,			\
	  .memory_mb = memory_mb_, .cmdline = cmdline_ }

/*
 * Three kernel series (the newest of each suite, resolved by
 * tests/vm/fetch-kernel), each in the generic and the cloud flavor; every
 * guest runs every check. -cpu max offers LA57, so a kernel boots 5-level
 * unless told no5lvl. Every boot randomizes anew: one KASLR configuration of
 * each series boots twice (-a, -b), and the two must differ. What tells the
 * series apart: 6.1 has neither vmalloc:alloc_vmap_area nor VMALLOC_START in
 * its VMCOREINFO, so under kptr_restrict=2 its vmalloc_base comes from the
 * ksym iterator alone, and it ships memfd_secret off (secretmem.enable=1
 * turns it on; its nokaslr boot checks that kvas dmap says so); 6.12 and 7.2
 * have both sources and memfd_secret on; 7.2's struct mm_struct has no
 * cpu_bitmap. Memory: 1 GiB and 6 GiB on each series, 2 GiB elsewhere.
 */
static struct vm_config configs[] = {
	VM(BOOKWORM, "5level-kaslr-a", 2048, "secretmem.enable=1"),
	VM2(BOOKWORM, "5level-kaslr-b-2cpu", 2048, "secretmem.enable=1"),
	VM(BOOKWORM_CLOUD, "4level-kptr-restrict-2", 1024,
	  "no5lvl kvas.kptr_restrict=2 secretmem.enable=1"),
	VM(BOOKWORM_CLOUD, "5level-nokaslr", 6144, "nokaslr"),
	VM(TRIXIE_CLOUD, "4level-kaslr-a", 2048, "no5lvl"),
	VM2(TRIXIE_CLOUD, "4level-kaslr-b-2cpu", 2048, "no5lvl"),
	VM(TRIXIE, "5level-kptr-restrict-2", 6144, "kvas.kptr_restrict=2"),
	VM(TRIXIE, "4level-nokaslr", 1024, "no5lvl nokaslr"),
	VM(SID, "5level-kaslr-a", 2048, ""),
	VM2(SID, "5level-kaslr-b-2cpu", 2048, ""),
	VM(SID_CLOUD, "4level-pti-kptr-restrict-2", 1024, "no5lvl pti=on kvas.kptr_restrict=2"),
	VM(SID_CLOUD, "5level-nokaslr", 6144, "nokaslr"),
};
#define NR_CONFIGS (sizeof(configs) / sizeof(configs[0]))

/* Set when tests/vm/prepare failed: every guest fails, saying so. */
static bool prepare_failed;

static const char *const fields[] = {
	"page_offset_base", "vmalloc_base", "vmemmap_base", "_text",
	"phys_base", "paging_levels",
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	/* The serial console ends lines with \r\n. */
	for (char *p = buf; p && (p = strchr(p, '\r'));)
		memmove(p, p + 1, strlen(p));
	return buf;
}

static pid_t start_guest(const struct vm_config *c)
{
	char mem[16], append[256], log[128], kernel[128], cpus[16];
	pid_t pid;

	snprintf(mem, sizeof(mem), "%dM", c->memory_mb);
	snprintf(cpus, sizeof(cpus), "%d", c->cpus > 1 ? c->cpus : 1);
	snprintf(append, sizeof(append), "console=ttyS0 panic=-1 quiet %s", c->cmdline);
	snprintf(log, sizeof(log), VM_DIR "/%s.log", c->name);
	snprintf(kernel, sizeof(kernel), VM_DIR "/vmlinuz-%s-%s", c->suite, c->flavor);
	pid = fork();
	if (pid)
		return pid;
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		_exit(126);
	dup2(fd, 1);
	dup2(fd, 2);
	alarm(BOOT_TIMEOUT_S);	/* a hung guest is killed, and fails */
	/*
	 * Several vCPUs run in one thread: multi-threaded TCG can leave a vCPU
	 * executing the int3 of a text_poke_bp() (a tracepoint being enabled)
	 * after the kernel removed it, an oops in exc_page_fault seen here once
	 * in 6.12. One thread keeps the guest's code coherent across its CPUs.
	 */
	execlp("qemu-system-x86_64", "qemu-system-x86_64", "-accel",
	       c->cpus > 1 ? "tcg,thread=single" : "tcg",
	       "-cpu", "max", "-smp", cpus, "-m", mem, "-nographic", "-no-reboot",
	       "-kernel", kernel, "-initrd", VM_DIR "/initrd.gz",
	       "-append", append, (char *)NULL);
	_exit(127);
}

static int boot_all(void **state)
{
	pid_t pids[NR_CONFIGS];
	size_t next = 0, running = 0;

	(void)state;
	if (prepare_failed)
		return -1;
	fprintf(stderr, "booting %zu guests, %d at a time\n", NR_CONFIGS, PARALLEL_BOOTS);
	while (next < NR_CONFIGS || running) {
		int status;
		pid_t done;

		/*
		 * The newest series first: their guests take longest under TCG,
		 * and the shorter ones fill in after them, so the run ends sooner.
		 */
		if (next < NR_CONFIGS && running < PARALLEL_BOOTS) {
			size_t i = NR_CONFIGS - 1 - next;

			pids[i] = start_guest(&configs[i]);
			next++;
			running++;
			continue;
		}
		done = wait(&status);
		running--;
		for (size_t i = NR_CONFIGS - next; i < NR_CONFIGS; i++) {
			char log[128];

			if (pids[i] != done)
				continue;
			snprintf(log, sizeof(log), VM_DIR "/%s.log", configs[i].name);
			configs[i].exit_status = status;
			configs[i].log = read_file(log);
		}
	}
	return 0;
}

static int free_logs(void **state)
{
	(void)state;
	for (size_t i = 0; i < NR_CONFIGS; i++)
		free(configs[i].log);
	return 0;
}

/* The output of guest block NAME (stdout and "stderr: " lines), or NULL. */
/*
 * Drop the lines where kvas says a refresh took longer than its interval:
 * under TCG one can, and kvas saying so is right, not a failure.
 */
static void drop_pace_lines(char *text)
{
	char *p = text, *q = text;

	while (*p) {
		char *eol = strchrnul(p, '\n'), *pace = strstr(p, ": a refresh took ");
		bool drop = !strncmp(p, "stderr: kvas ", 13) && pace && pace < eol;

		if (*eol)
			eol++;
		if (!drop) {
			memmove(q, p, eol - p);
			q += eol - p;
		}
		p = eol;
	}
	*q = '\0';
}

static char *guest_block(const struct vm_config *c, const char *name, int *rc)
{
	char begin[96], end[96];
	const char *s, *e;
	char *out;

	snprintf(begin, sizeof(begin), "==kvas-begin %s==\n", name);
	snprintf(end, sizeof(end), "==kvas-end %s rc=", name);
	if (!c->log || !(s = strstr(c->log, begin)) || !(e = strstr(s, end)))
		return NULL;
	s += strlen(begin);
	out = strndup(s, e - s);
	*rc = atoi(e + strlen(end));
	if (out)
		drop_pace_lines(out);
	return out;
}

/*
 * What to show of a failed block: its stderr lines (the guest's waits say
 * there what they did not see), else its start; the log has the rest.
 */
static const char *brief(const char *text)
{
	static char out[4096];
	size_t len = 0;

	out[0] = '\0';
	for (const char *l = text; l && *l && len < sizeof(out) - 1; l = strchr(l, '\n')) {
		l += *l == '\n';
		if (!strncmp(l, "stderr: ", 8))
			len += snprintf(out + len, sizeof(out) - len, "%.*s\n",
					(int)strcspn(l, "\n"), l);
	}
	if (!out[0])
		snprintf(out, sizeof(out), "%.2000s%s", text, strlen(text) > 2000 ? "..." : "");
	return out;
}

static json_t *guest_json(const struct vm_config *c, const char *name)
{
	json_error_t jerr;
	char *text;
	json_t *root;
	int rc = -1;

	text = guest_block(c, name, &rc);
	if (!text)
		fail_msg("%s: no '%s' block in " VM_DIR "/%s.log", c->name, name, c->name);
	if (rc || strstr(text, "stderr: "))
		fail_msg("%s: '%s' exited %d:\n%s", c->name, name, rc, brief(text));
	root = json_loads(text, 0, &jerr);
	if (!root)
		fail_msg("%s: '%s' is not JSON (%s):\n%s", c->name, name, jerr.text, brief(text));
	free(text);
	return root;
}

static bool hex_of(json_t *v, uint64_t *out)
{
	if (json_is_integer(v)) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	if (!json_is_string(v))
		return false;
	*out = strtoull(json_string_value(v), NULL, 16);
	return true;
}

static void expect_equal(const struct vm_config *c, const char *what,
			 const char *field, uint64_t expected, uint64_t actual)
{
	if (expected != actual)
		fail_msg("%s: %s %s: expected 0x%llx (truth), got 0x%llx (see " VM_DIR "/%s.log)",
			 c->name, what, field, (unsigned long long)expected,
			 (unsigned long long)actual, c->name);
}

static void check_no_warnings(const struct vm_config *c)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "Oops", "general protection fault",
		"Call Trace", "verifier", "failed to load", NULL,
	};

	for (int i = 0; bad[i]; i++)
		if (strstr(c->log, bad[i]))
			fail_msg("%s: guest printed '%s' (see " VM_DIR "/%s.log)", c->name,
				 bad[i], c->name);
}

/* Every value in values.* and in each source's evidence equals the truth. */
static void check_layout(const struct vm_config *c, json_t *truth, json_t *layout,
			 const char *block)
{
	json_t *values = json_object_get(layout, "values");

	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		json_t *fv = json_object_get(values, fields[f]), *ev, *claim;
		uint64_t expected, actual;
		const char *src;

		if (!hex_of(json_object_get(truth, fields[f]), &expected))
			fail_msg("%s: truth has no %s", c->name, fields[f]);
		if (hex_of(json_object_get(fv, "value"), &actual))
			expect_equal(c, block, fields[f], expected, actual);
		ev = json_object_get(fv, "evidence");
		json_object_foreach(ev, src, claim) {
			char what[96];

			if (!strcmp(src, "estimate") || !strcmp(src, "default") ||
			    !hex_of(json_object_get(claim, "value"), &actual))
				continue;
			snprintf(what, sizeof(what), "%s, source %s,", block, src);
			expect_equal(c, what, fields[f], expected, actual);
		}
	}
}

/* Fields that SOURCE must have produced in this guest. */
static void check_source_gives(const struct vm_config *c, json_t *layout,
			       const char *source, const char *const *need)
{
	json_t *values = json_object_get(layout, "values");

	for (int i = 0; need[i]; i++) {
		json_t *claim = json_object_get(json_object_get(json_object_get(values, need[i]),
								 "evidence"), source);

		if (!claim || !json_object_get(claim, "value"))
			fail_msg("%s: --source %s gave no %s", c->name, source, need[i]);
	}
}

static void check_randomization(const struct vm_config *c, json_t *truth, json_t *layout)
{
	json_t *rnd = json_object_get(layout, "randomization");
	const char *mem = json_string_value(json_object_get(json_object_get(rnd, "memory"), "state"));
	const char *text = json_string_value(json_object_get(json_object_get(rnd, "text"), "state"));
	const char *why = json_string_value(json_object_get(json_object_get(rnd, "memory"), "why"));
	uint64_t t;

	if (!c->kaslr) {
		assert_string_equal(mem, "inactive");
		assert_string_equal(text, "inactive");
		assert_non_null(strstr(why, "nokaslr"));
		return;
	}
	assert_string_equal(mem, "active");
	/* A slide of 0 is one of ~500 possible: then inactive is the truth. */
	assert_true(hex_of(json_object_get(truth, "_text"), &t));
	assert_string_equal(text, t != DEFAULT_TEXT ? "active" : "inactive");
}

/*
 * kvas translate in the guest, checked there by truth --check-translate: the
 * bytes at each address equal those at page_offset_base + PA, read from
 * /proc/kcore (or /proc/1/mem for init's stack page).
 */
static void check_translate(const struct vm_config *c)
{
	json_t *res = guest_json(c, "translate");
	json_t *bad = json_object_get(res, "mismatches");
	json_int_t checked = json_integer_value(json_object_get(res, "checked"));

	/* text, data, direct map, vmemmap, vmalloc and user targets */
	if (checked < 8)
		fail_msg("%s: only %lld translations checked against kcore", c->name,
			 (long long)checked);
	if (json_array_size(bad))
		fail_msg("%s: translations disagree with /proc/kcore: %s", c->name,
			 json_dumps(bad, JSON_COMPACT));
	json_decref(res);
}

/*
 * kvas translate --page in the guest, checked there by truth --check-page
 * against /proc/kpageflags and kpagecount for its own anon page, file page
 * and THP head and tail; and no US explanation: QEMU guests are no PVM.
 */
static void check_translate_page(const struct vm_config *c)
{
	json_t *res = guest_json(c, "translate-page");
	json_t *bad = json_object_get(res, "mismatches");
	json_int_t checked = json_integer_value(json_object_get(res, "checked"));

	if (!json_is_true(json_object_get(res, "thp")))
		fail_msg("%s: no THP to check translate --page on: %s", c->name,
			 json_string_value(json_object_get(res, "thp_skip")));
	/* 5 facts of the anon page, 6 of the file page, 5 of each THP page */
	if (checked < 21)
		fail_msg("%s: only %lld struct page facts checked", c->name, (long long)checked);
	if (json_array_size(bad))
		fail_msg("%s: translate --page disagrees with kpageflags/kpagecount: %s", c->name,
			 json_dumps(bad, JSON_COMPACT));
	if (!json_is_false(json_object_get(res, "us_reason")))
		fail_msg("%s: a US explanation for PVM in a QEMU guest", c->name);
	json_decref(res);
}

/*
 * kvas top in the guest while truth --touch 256 32 runs: JSON Lines, one per
 * interval, and the rows of truth's pid must count at least its 256 write
 * faults and its 32 TLB flushes (a row's rates times its interval). The
 * guest stops top once truth --check-top sees that, or after 60 s.
 */
/*
 * Every line of guest block NAME as JSON, in an array; the test fails on a
 * non-zero exit, anything on stderr, or a line that is not JSON.
 */
static json_t *guest_json_lines(const struct vm_config *c, const char *name, const char *what)
{
	int rc = -1;
	char *text = guest_block(c, name, &rc), *line, *save = NULL;
	json_t *lines = json_array(), *o;

	if (!text || rc || strstr(text, "stderr: "))
		fail_msg("%s: %s exited %d:\n%s", c->name, what, rc, text ? brief(text) : "(no block)");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		o = json_loads(line, 0, NULL);
		if (!o)
			fail_msg("%s: %s printed '%s'", c->name, what, line);
		json_array_append_new(lines, o);
	}
	free(text);
	return lines;
}

/*
 * kvas top in a two-CPU guest while tests/vm/shootdown changes a page's
 * protection 2000 times on CPU 0 with a thread using it on CPU 1: the storm's
 * pid must send shootdowns, each interrupting the one other CPU, counted from
 * mm_cpumask wherever this kernel keeps it (cpu_bitmap up to 6.x, the start
 * of flexible_array in 7.x). How many the kernel sends depends on where the
 * spinner is when each change is made; what it published is the truth: every
 * shootdown IPI CPU 1 took during the storm (the TLB line of
 * /proc/interrupts) was sent by a "remote flush request", the storm's but for a
 * few of the quiet guest's own; a send may find CPU 1 lazy and need no IPI.
 */
static void check_shootdowns(const struct vm_config *c)
{
	json_t *lines = guest_json_lines(c, "shootdowns", "kvas top with the shootdown storm");
	int null_cpus = 0, unavailable = 0;
	json_int_t pid = 0, rounds = 0, irqs = -1;
	double sent = 0, cpus = 0, received = 0;
	char method[32] = "", evidence[1024] = "";
	json_t *o, *row;
	size_t i, j;

	/* the storm's lines come after top's: its pid is known at the end */
	json_array_foreach(lines, i, o) {
		if (json_object_get(o, "rounds")) {
			pid = json_integer_value(json_object_get(o, "pid"));
			rounds = json_integer_value(json_object_get(o, "rounds"));
		}
		if (json_object_get(o, "tlb_irqs"))
			irqs = json_integer_value(json_object_get(o, "tlb_irqs"));
	}
	if (c->cpus < 2) {
		/* a one-CPU guest has no remote CPU to shoot down: the guest says so */
		if (json_array_size(lines) != 1 ||
		    json_integer_value(json_object_get(json_array_get(lines, 0), "cpus")) != 1)
			fail_msg("%s: a one-CPU guest ran the shootdown storm", c->name);
		json_decref(lines);
		return;
	}
	json_array_foreach(lines, i, o) {
		double secs = json_number_value(json_object_get(o, "interval_s"));
		json_t *tlb = json_object_get(o, "tlb_flushes");

		unavailable += json_array_size(json_object_get(o, "unavailable"));
		if (tlb) {
			/* the remote flushes this guest's CPUs ran, and the method judged last */
			received += json_number_value(json_object_get(tlb, "remote_per_s")) * secs;
			snprintf(method, sizeof(method), "%s",
				 json_string_value(json_object_get(tlb, "remote_flush_method")));
			snprintf(evidence, sizeof(evidence), "%s",
				 json_string_value(json_object_get(tlb, "remote_flush_evidence")));
		}
		json_array_foreach(json_object_get(o, "processes"), j, row) {
			json_t *per_s = json_object_get(row, "tlb_request_cpus_per_s");

			if (json_integer_value(json_object_get(row, "pid")) != pid)
				continue;
			sent += json_number_value(json_object_get(row, "tlb_requests_sent_per_s")) * secs;
			cpus += json_number_value(per_s) * secs;
			null_cpus += json_is_null(per_s);
		}
	}
	json_decref(lines);
	if (!pid || rounds < 2000 || irqs < 100 || unavailable || null_cpus ||
	    sent + 0.5 < 0.95 * irqs - 10 || cpus + 0.5 < 0.9 * sent || cpus > sent + 0.5)
		fail_msg("%s: the storm (pid %lld, %lld rounds, %lld shootdown IPIs in"
			 " /proc/interrupts): kvas top counted %.0f shootdowns sent interrupting"
			 " %.0f remote CPUs (%d rows without them, %d parts unavailable); expected"
			 " at least the IPIs, each send interrupting the other CPU", c->name,
			 (long long)pid, (long long)rounds, (long long)irqs, sent, cpus, null_cpus,
			 unavailable);
	/*
	 * TCG guests send IPIs: kvas says so, and the flushes the IPIs ran are
	 * the kernel's count, within 10% (top's intervals overhang the storm).
	 */
	/*
	 * Debian's kernels name pv_ops and x86_hyper_type in kallsyms
	 * (KALLSYMS_ALL): what the kernel set itself is read, and under TCG
	 * it set the native flush.
	 */
	if (strcmp(method, "ipi") || received < 0.9 * irqs - 10 || received > 1.1 * irqs + 50 ||
	    !strstr(evidence, "pv_ops flush_tlb_multi: native_flush_tlb_multi"))
		fail_msg("%s: kvas top judged the remote flush method '%s' (%s) and counted %.0f"
			 " flushes received; the kernel counted %lld TLB IPIs", c->name, method,
			 evidence, received, (long long)irqs);
	printf("  %s: %.0f shootdowns sent, interrupting %.0f remote CPUs; %.0f received, the"
	       " kernel counted %lld shootdown IPIs; method %s (%s)\n", c->name, sent, cpus,
	       received, (long long)irqs, method, evidence);
}

static void check_top(const struct vm_config *c)
{
	json_t *lines = guest_json_lines(c, "top", "kvas top with truth's workload"), *o, *row;
	json_int_t pid = 0, touched = 0, flushes = 0;
	double faults_seen = 0, flushes_seen = 0;
	int intervals = 0;
	size_t i, j;

	/* truth's line comes after top's: its pid is known at the end */
	json_array_foreach(lines, i, o) {
		if (json_object_get(o, "pfns")) {
			pid = json_integer_value(json_object_get(o, "pid"));
			touched = json_array_size(json_object_get(o, "pfns"));
			flushes = json_integer_value(json_object_get(o, "flushes"));
		}
	}
	json_array_foreach(lines, i, o) {
		double secs = json_number_value(json_object_get(o, "interval_s"));

		if (json_object_get(o, "pfns"))
			continue;
		if (!json_object_get(o, "page_faults") || !json_object_get(o, "tlb_flushes"))
			fail_msg("%s: kvas top printed %s", c->name, json_dumps(o, JSON_COMPACT));
		intervals++;
		json_array_foreach(json_object_get(o, "processes"), j, row) {
			if (json_integer_value(json_object_get(row, "pid")) != pid)
				continue;
			faults_seen += json_number_value(json_object_get(row, "faults_per_s")) * secs;
			flushes_seen += json_number_value(json_object_get(row, "tlb_flushes_per_s")) * secs;
		}
	}
	json_decref(lines);
	if (intervals < 1 || !pid || touched < 256 || flushes < 32)
		fail_msg("%s: kvas top printed %d intervals; truth's workload: pid %lld, %lld pages,"
			 " %lld flushes", c->name, intervals, (long long)pid, (long long)touched,
			 (long long)flushes);
	if ((json_int_t)(faults_seen + 0.5) < touched || (json_int_t)(flushes_seen + 0.5) < flushes)
		fail_msg("%s: kvas top counted %.0f faults and %.0f TLB flushes under truth's pid %lld"
			 " in %d intervals; truth made %lld write faults and %lld flushes (see "
			 VM_DIR "/%s.log)", c->name, faults_seen, flushes_seen, (long long)pid,
			 intervals, (long long)touched, (long long)flushes, c->name);
}

/*
 * kvas trace in the guest, checked there by truth --check-trace: the write
 * fault of each page truth touched, and its translation equal to the frame
 * pagemap gives. The guest starts truth once trace shows a probe's fault,
 * and stops trace once truth --check-trace sees them all, or after 60 s.
 */
static void check_trace(const struct vm_config *c)
{
	json_t *res = guest_json(c, "trace");
	json_int_t touched = json_integer_value(json_object_get(res, "touched"));
	json_int_t faults = json_integer_value(json_object_get(res, "faults"));
	json_int_t translated = json_integer_value(json_object_get(res, "translated"));

	if (touched < 64 || faults < touched || translated < touched - 2 ||
	    json_array_size(json_object_get(res, "mismatches")))
		fail_msg("%s: trace of %lld touched pages: %lld faults, %lld translated, mismatches %s",
			 c->name, (long long)touched, (long long)faults, (long long)translated,
			 json_dumps(json_object_get(res, "mismatches"), JSON_COMPACT));
	json_decref(res);
}

/*
 * Kernel faults of a dmap-live line at address by kvas itself, in the
 * kernel's nofault copy (by address only where kptr_restrict=2 hides symbols).
 */
static int kernel_faults_at(json_t *o, uint64_t address, bool kptr_restricted)
{
	json_t *f;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(o, "kernel_faults"), i, f) {
		const char *sym = json_string_value(json_object_get(f, "symbol"));
		uint64_t at = 0;

		n += hex_of(json_object_get(f, "address"), &at) && at == address &&
		     !strcmp(json_string_value(json_object_get(f, "comm")), "kvas") &&
		     (kptr_restricted || (sym && strstr(sym, "nofault")));
	}
	return n;
}

/* A change of the dmap-live block: pid, kind, and whether a frame is SYM. */
static bool change_is(json_t *ch, json_int_t pid, const char *kind, const char *sym)
{
	json_t *frame;
	size_t i;

	if (json_integer_value(json_object_get(ch, "pid")) != pid ||
	    strcmp(json_string_value(json_object_get(ch, "kind")), kind))
		return false;
	json_array_foreach(json_object_get(ch, "stack"), i, frame)
		if (strstr(json_string_value(frame), sym))
			return true;
	return false;
}

static json_int_t counter(json_t *o, const char *which, const char *name)
{
	return json_integer_value(json_object_get(json_object_get(o, which), name));
}

/*
 * kvas dmap in the guest: the walk covers System RAM, agrees with DirectMap*
 * or says why, and live, attributes truth --secret's pages leaving the direct
 * map to truth, with secretmem_fault on the stack and the splits counted.
 * Whether the kernel offers memfd_secret is what the guest shows
 * (/sys/module/secretmem/parameters/enable, read by truth): 6.1 ships it off,
 * newer kernels on; where it is off, kvas must say so, and the live checks,
 * which cannot pass, are left out with the reason printed.
 */
static void check_dmap(const struct vm_config *c, json_t *truth)
{
	json_t *d = guest_json(c, "dmap"), *ps = json_object_get(d, "page_sizes");
	json_t *att = json_object_get(d, "attribution"), *sec = json_object_get(d, "secretmem");
	const char *enable = json_string_value(json_object_get(truth, "secretmem"));
	bool secret_on = enable && !strcmp(enable, "Y");
	json_int_t pid = -1, unmaps = 0, splits = 0, first = -1, most = -1, kfaults = 0;
	json_int_t kernel_splits = -1;
	uint64_t pob = 0, secret_pa = 0;
	char *text, *line, *save = NULL;
	int rc = -1;

	if (json_integer_value(json_object_get(d, "mapped_bytes")) -
	    json_integer_value(json_object_get(d, "mapped_non_ram_bytes")) !=
	    json_integer_value(json_object_get(d, "ram_bytes")) -
	    json_integer_value(json_object_get(ps, "removed_4k_pages")) * 4096)
		fail_msg("%s: dmap's walk does not cover System RAM: %s", c->name,
			 json_dumps(d, JSON_COMPACT));
	if (!json_is_true(json_object_get(ps, "agrees")) &&
	    !json_is_string(json_object_get(ps, "explanation")))
		fail_msg("%s: dmap's walk and DirectMap* differ, unexplained", c->name);
	if (!json_is_true(json_object_get(att, "available")))
		fail_msg("%s: dmap has no attribution: %s", c->name,
			 json_string_value(json_object_get(att, "why")));
	if (json_is_true(json_object_get(sec, "available")) != secret_on)
		fail_msg("%s: dmap says memfd_secret is%s available", c->name, secret_on ? " not" : "");
	/* memfd_secret built in but off at boot: kvas says how to turn it on */
	if (!secret_on && enable &&
	    !strstr(json_string_value(json_object_get(sec, "why")) ?: "", "secretmem.enable=1"))
		fail_msg("%s: dmap says memfd_secret is unavailable because '%s', not how to enable it",
			 c->name, json_string_value(json_object_get(sec, "why")));
	if (!secret_on)
		fprintf(stderr, "  %s: the guest shows memfd_secret %s%s: the checks of dmap -i"
			" that need it are left out\n", c->name,
			enable ? "off at boot (secretmem.enable=N)" : "absent (no /sys/module/secretmem)",
			strstr(c->cmdline, "secretmem.enable=1") ? " despite secretmem.enable=1" : "");
	json_decref(d);

	text = guest_block(c, "dmap-live", &rc);
	if (!text || rc || strstr(text, "stderr: "))
		fail_msg("%s: dmap-live exited %d:\n%s", c->name, rc, text ? brief(text) : "(no block)");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *o = json_loads(line, 0, NULL), *ch;
		size_t i;

		if (!o)
			fail_msg("%s: dmap-live printed '%s'", c->name, line);
		if (json_object_get(o, "error") && secret_on)
			fail_msg("%s: truth --secret failed: %s", c->name, line);
		if (json_object_get(o, "pages"))
			pid = json_integer_value(json_object_get(o, "pid"));
		if (json_object_get(o, "secret_pa")) {
			hex_of(json_object_get(o, "secret_pa"), &secret_pa);
			kernel_splits = json_integer_value(json_object_get(o, "splits"));
		}
		if (json_object_get(o, "page_offset_base"))
			hex_of(json_object_get(o, "page_offset_base"), &pob);
		kfaults += kernel_faults_at(o, pob + secret_pa, c->kptr_restricted);
		json_array_foreach(json_object_get(o, "changes"), i, ch)
			/* kptr_restrict=2 hides symbols from root too: frames stay addresses */
			unmaps += change_is(ch, pid, "unmap",
					    c->kptr_restricted ? "0x" : "secretmem_fault");
		if (json_object_get(o, "previous_counters"))
			splits += counter(o, "counters", "level2_splits") -
				  counter(o, "previous_counters", "level2_splits") +
				  counter(o, "counters", "level3_splits") -
				  counter(o, "previous_counters", "level3_splits");
		if (json_object_get(o, "page_sizes")) {
			json_int_t r = json_integer_value(json_object_get(
				json_object_get(o, "page_sizes"), "removed_4k_pages"));

			if (first < 0)
				first = r;
			if (r > most)
				most = r;
		}
		json_decref(o);
	}
	free(text);
	if (!secret_on)
		return;
	/*
	 * Splits: at least those the kernel counted while truth faulted its
	 * pages in. Where the pages all lay in memory the direct map already
	 * mapped with 4K pages, the kernel split nothing, and the guest says so.
	 */
	if (kernel_splits == 0)
		fprintf(stderr, "  %s: the kernel split no direct-map page for truth's secret pages"
			" (/proc/vmstat): dmap -i's split count is left unchecked\n", c->name);
	/* truth's lines come before kvas's: its pid is known when its changes are read */
	/* the faults may straddle two intervals: the rise from the first walk counts */
	if (pid < 0 || unmaps != SECRET_PAGES || most - first != SECRET_PAGES ||
	    kernel_splits < 0 || splits < kernel_splits)
		fail_msg("%s: dmap -i saw %lld of truth (pid %lld)'s %d secret pages unmapped"
			 " with secretmem_fault on the stack, %lld pages out at most,"
			 " %lld splits (the kernel counted %lld) (see " VM_DIR "/%s.log)", c->name,
			 (long long)unmaps, (long long)pid, SECRET_PAGES, (long long)(most - first),
			 (long long)splits, (long long)kernel_splits, c->name);
	/* kvas translate --read of the first secret page faulted once, there */
	if (!secret_pa || kfaults != 1)
		fail_msg("%s: dmap -i saw %lld kernel faults by kvas at the direct-map alias of"
			 " secret page 0x%llx (see " VM_DIR "/%s.log)", c->name, (long long)kfaults,
			 (unsigned long long)secret_pa, c->name);
}

/*
 * kvas serve --textfile in the guest while the direct map changes: where
 * kvas dmap attributes changes (fentry or kprobe), serve exports the same
 * method and counts at least one change by a hooked function; where it does
 * not, serve must say method="none", and this says why, in dmap's words.
 */
static void check_serve_dmap(const struct vm_config *c)
{
	json_t *d = guest_json(c, "dmap"), *att = json_object_get(d, "attribution");
	const char *method = json_string_value(json_object_get(att, "method"));
	const char *why = json_string_value(json_object_get(att, "why"));
	bool available = json_is_true(json_object_get(att, "available")) && method;
	char want[96], *text, *line, *save = NULL, *all;
	bool has_method = false, exited = false;
	long long counted = 0;
	int rc = -1;

	text = guest_block(c, "serve-dmap", &rc);
	if (!text || rc || strstr(text, "stderr: "))
		fail_msg("%s: serve-dmap exited %d:\n%s", c->name, rc,
			 text ? brief(text) : "(no block)");
	all = strdup(text);
	snprintf(want, sizeof(want), "kvas_direct_map_change_attribution{method=\"%s\"} 1",
		 available ? method : "none");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char function[64];
		long long n;

		has_method |= !strcmp(line, want);
		exited |= !strcmp(line, "serve exit 0");
		if (sscanf(line, "kvas_direct_map_changes_total{function=\"%63[a-z_]\"} %lld",
			   function, &n) == 2)
			counted += n;
	}
	if (!available)
		fprintf(stderr, "  %s: kvas dmap attributes no change here (%s): serve's count of"
			" changes is not checked, its method=\"none\" is\n", c->name,
			why ? why : "no reason given");
	if (!has_method || !exited || (available && counted < 1))
		fail_msg("%s: kvas dmap attributes changes by %s; kvas serve's textfile %s '%s',"
			 " counted %lld changes, %s:\n%s", c->name, available ? method : "nothing",
			 has_method ? "has" : "lacks", want, counted,
			 exited ? "exited 0 on SIGTERM" : "did not exit 0 on SIGTERM", brief(all));
	free(all);
	free(text);
	json_decref(d);
}

/*
 * kvas record -a -d 2 in the guest while the direct map changes (truth
 * --secret, else kvas dmap -i attaching): where kvas dmap attributes
 * changes, the file holds at least one KD_DMAP_CHANGE (the report counts
 * the records it read), hooked the same way, and the report's section
 * counts every one by function; elsewhere the file says why, as dmap does.
 */
static void check_record_dmap(const struct vm_config *c)
{
	json_t *d = guest_json(c, "dmap"), *att = json_object_get(d, "attribution");
	const char *method = json_string_value(json_object_get(att, "method"));
	bool available = json_is_true(json_object_get(att, "available")) && method;
	json_int_t changes, by_function = 0;
	json_t *rep, *dc, *row;
	const char *status;
	char *text, *json;
	int rc = -1;
	size_t i;

	text = guest_block(c, "record-dmap", &rc);
	if (!text || rc || strstr(text, "stderr: ") || !strstr(text, "# record exit 0"))
		fail_msg("%s: record-dmap exited %d:\n%s", c->name, rc,
			 text ? brief(text) : "(no block)");
	json = strstr(text, "\n{");
	rep = json ? json_loads(json + 1, 0, NULL) : NULL;
	if (!rep)
		fail_msg("%s: record-dmap printed no report:\n%s", c->name, brief(text));
	dc = json_object_get(rep, "dmap_changes");
	status = json_string_value(json_object_get(dc, "status"));
	changes = json_integer_value(json_object_get(dc, "changes"));
	json_array_foreach(json_object_get(json_object_get(dc, "by_function"), "rows"), i, row)
		by_function += json_integer_value(json_object_get(row, "changes"));
	if (!available) {
		fprintf(stderr, "  %s: kvas dmap attributes no change here: record's file says '%s'\n",
			c->name, status ? status : "(nothing)");
		if (!status || strncmp(status, "unavailable: ", 13) || changes)
			fail_msg("%s: record's dmap_changes '%s' with %lld changes where dmap attributes"
				 " none", c->name, status ? status : "(null)", (long long)changes);
	} else if (!status || strcmp(status, method) || changes < 1 || by_function != changes ||
		   json_integer_value(json_object_get(json_object_get(rep, "summary"),
						      "dmap_changes")) != changes) {
		fail_msg("%s: kvas dmap attributes changes by %s; record's file says '%s' with %lld"
			 " changes, %lld by function:\n%s", c->name, method, status ? status : "(null)",
			 (long long)changes, (long long)by_function, brief(text));
	}
	json_decref(rep);
	free(text);
	json_decref(d);
}

static const char *audit_result(json_t *audit, const char *id)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(audit, "findings"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "id")), id))
			return json_string_value(json_object_get(f, "result"));
	return "(missing)";
}

/*
 * kvas audit in the guest, after perf_event_paranoid=1: KASLR passes where
 * it is on and fails with nokaslr, and what nobody sees in /proc/kallsyms
 * follows kptr_restrict (0: addresses, 2: none).
 */
static void check_audit(const struct vm_config *c, json_t *truth)
{
	int rc = -1;
	char *text = guest_block(c, "audit", &rc), *json_end;
	json_t *audit;
	uint64_t t;
	const char *text_want, *mem_want = c->kaslr ? "pass" : "fail";

	/* kvas's own exit status comes last, on stderr: 3 when a finding fails */
	if (!text || rc || !(json_end = strstr(text, "stderr: exit ")))
		fail_msg("%s: no audit block", c->name);
	/* anything else kvas audit said on stderr is a failure to measure */
	if (strstr(text, "stderr: ") != json_end)
		fail_msg("%s: kvas audit said on stderr:\n%s", c->name, brief(text));
	*json_end = '\0';
	audit = json_loads(text, 0, NULL);
	if (!audit)
		fail_msg("%s: audit printed no JSON:\n%s", c->name, text);
	assert_true(hex_of(json_object_get(truth, "_text"), &t));
	text_want = c->kaslr && t != DEFAULT_TEXT ? "pass" : "fail";
	if (strcmp(audit_result(audit, "text-kaslr"), text_want) ||
	    strcmp(audit_result(audit, "memory-kaslr"), mem_want) ||
	    strcmp(audit_result(audit, "kallsyms"), c->kptr_restricted ? "pass" : "fail") ||
	    strcmp(audit_result(audit, "perf"), "fail"))
		fail_msg("%s: audit says text-kaslr %s, memory-kaslr %s, kallsyms %s, perf %s",
			 c->name, audit_result(audit, "text-kaslr"),
			 audit_result(audit, "memory-kaslr"), audit_result(audit, "kallsyms"),
			 audit_result(audit, "perf"));
	json_decref(audit);
	free(text);
}

/*
 * kvas why --no-measure runs on every kernel and shows the paging the
 * guest booted with: 5 levels where it has them.
 */
static void check_why(const struct vm_config *c, int want_levels)
{
	json_t *w = guest_json(c, "why"), *dm = json_object_get(w, "direct_map");
	json_t *m = json_object_get(w, "measured");

	if (!json_is_object(dm))
		fail_msg("%s: kvas why did not walk the direct map", c->name);
	if (json_integer_value(json_object_get(dm, "levels")) != want_levels ||
	    json_integer_value(json_object_get(m, "walk_levels")) != want_levels)
		fail_msg("%s: kvas why shows %lld-level paging, the guest runs %d", c->name,
			 (long long)json_integer_value(json_object_get(dm, "levels")), want_levels);
	if (!json_is_array(json_object_get(w, "tlb")) || json_is_true(json_object_get(m, "done")))
		fail_msg("%s: kvas why --no-measure: no tlb list, or it measured", c->name);
	json_decref(w);
}

static void run_config(void **state)
{
	static const char *const tracepoint_gives[] = { "page_offset_base", "vmemmap_base", NULL };
	static const char *const vmcoreinfo_gives[] = {
		"page_offset_base", "_text", "phys_base", "text_slide", "paging_levels", NULL };
	static const char *const pagewalk_gives[] = {
		"page_offset_base", "_text", "phys_base", "text_slide", "paging_levels", NULL };
	/* Debian builds with KALLSYMS_ALL: every variable is a ksym. */
	static const char *const ksym_gives[] = {
		"page_offset_base", "vmalloc_base", "vmemmap_base", "_text", "phys_base", NULL };
	const struct vm_config *c = *state;
	static const struct { const char *block, *source; const char *const *gives; } alone[] = {
		{ "layout-ksym", "ksym", ksym_gives },
		{ "layout-tracepoint", "tracepoint", tracepoint_gives },
		{ "layout-vmcoreinfo", "vmcoreinfo", vmcoreinfo_gives },
		{ "layout-pagewalk", "pagewalk", pagewalk_gives },
	};
	json_t *truth, *layout;
	const char *release;
	uint64_t levels;
	int want_levels = c->no5lvl ? 4 : 5;

	if (!c->log)
		fail_msg("%s: guest did not run (qemu status %d)", c->name, c->exit_status);
	if (!strstr(c->log, "==kvas-guest-done=="))
		fail_msg("%s: guest did not finish (see " VM_DIR "/%s.log)", c->name, c->name);
	check_no_warnings(c);
	truth = guest_json(c, "truth");
	release = json_string_value(json_object_get(truth, "release"));
	if (!release || strcmp(release, c->release))
		fail_msg("%s: the guest runs kernel %s, " VM_DIR "/vmlinuz-%s-%s is %s", c->name,
			 release ? release : "(unknown)", c->suite, c->flavor, c->release);
	/* 5-level needs the CPU's LA57 too: what QEMU offers, as the guest sees it */
	if (!c->no5lvl && !json_is_true(json_object_get(truth, "cpu_la57"))) {
		fprintf(stderr, "  %s: the guest's CPU has no LA57: 4-level paging expected,"
			" 5-level left unchecked\n", c->name);
		want_levels = 4;
	}
	assert_true(hex_of(json_object_get(truth, "paging_levels"), &levels));
	if ((int)levels != want_levels)
		fail_msg("%s: guest runs %d-level paging, expected %d (%s)", c->name, (int)levels,
			 want_levels, c->no5lvl ? "no5lvl" : "the CPU offers LA57, no no5lvl");

	layout = guest_json(c, "layout");
	check_layout(c, truth, layout, "layout");
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		json_t *fv = json_object_get(json_object_get(layout, "values"), fields[f]);

		if (!json_object_get(fv, "value") || json_is_null(json_object_get(fv, "value")))
			fail_msg("%s: layout left %s unknown", c->name, fields[f]);
	}
	check_randomization(c, truth, layout);
	json_decref(layout);

	for (size_t i = 0; i < sizeof(alone) / sizeof(alone[0]); i++) {
		layout = guest_json(c, alone[i].block);
		check_layout(c, truth, layout, alone[i].block);
		check_source_gives(c, layout, alone[i].source, alone[i].gives);
		json_decref(layout);
	}
	check_translate(c);
	check_translate_page(c);
	check_top(c);
	check_shootdowns(c);
	check_trace(c);
	check_dmap(c, truth);
	check_serve_dmap(c);
	check_record_dmap(c);
	check_why(c, want_levels);
	check_audit(c, truth);
	json_decref(truth);
}

/* Every boot randomizes anew: the -a and -b boots of a config must differ. */
static void test_boots_differ(void **state)
{
	(void)state;
	for (size_t a = 0; a < NR_CONFIGS; a++) {
		size_t len = strlen(configs[a].name);
		json_t *t[2];
		int same = 0;

		if (len < 2 || strcmp(configs[a].name + len - 2, "-a"))
			continue;
		/* The -b boot follows its -a boot in the table. */
		assert_true(a + 1 < NR_CONFIGS);
		assert_int_equal(strncmp(configs[a].name, configs[a + 1].name, len - 1), 0);
		t[0] = guest_json(&configs[a], "truth");
		t[1] = guest_json(&configs[a + 1], "truth");
		for (size_t f = 0; f < 4; f++)	/* the three bases and _text */
			same += json_equal(json_object_get(t[0], fields[f]),
					   json_object_get(t[1], fields[f]));
		if (same == 4)
			fail_msg("%s and %s have the same layout: KASLR did not randomize",
				 configs[a].name, configs[a + 1].name);
		json_decref(t[0]);
		json_decref(t[1]);
	}
}

/*
 * The release of a bzImage, from its setup header: kernel_version (at 0x20e)
 * points, from 0x200, at "RELEASE (builder) #1 SMP ...". False if unreadable.
 */
static bool image_release(const char *path, char *release, size_t len)
{
	unsigned char hdr[0x210];
	char version[256] = "";
	FILE *f = fopen(path, "re");
	bool ok = false;

	if (f && fread(hdr, 1, sizeof(hdr), f) == sizeof(hdr) && !memcmp(hdr + 0x202, "HdrS", 4) &&
	    !fseek(f, 0x200 + (hdr[0x20e] | hdr[0x20f] << 8), SEEK_SET) &&
	    fgets(version, sizeof(version), f) && sscanf(version, "%64s", release) == 1)
		ok = strlen(release) < len;
	if (f)
		fclose(f);
	return ok;
}

/*
 * Fetch the kernels (tests/vm/prepare, which also builds the initramfs), and
 * name each test after its kernel's series and flavor: 6.12-cloud-4level-...
 */
static void prepare(void)
{
	char cmd[512] = "tests/vm/prepare", kernel[64], series[16];

	for (size_t i = 0; i < NR_CONFIGS; i++) {
		snprintf(kernel, sizeof(kernel), " %s-%s", configs[i].suite, configs[i].flavor);
		if (!strstr(cmd, kernel))
			strncat(cmd, kernel, sizeof(cmd) - strlen(cmd) - 1);
	}
	if (system(cmd)) {
		fprintf(stderr, "%s failed\n", cmd);
		prepare_failed = true;
	}
	for (size_t i = 0; i < NR_CONFIGS; i++) {
		struct vm_config *c = &configs[i];
		char path[128];
		int major, minor;

		c->no5lvl = strstr(c->cmdline, "no5lvl");
		c->kaslr = !strstr(c->cmdline, "nokaslr");
		c->kptr_restricted = strstr(c->cmdline, "kvas.kptr_restrict=2");
		snprintf(path, sizeof(path), VM_DIR "/vmlinuz-%s-%s", c->suite, c->flavor);
		if (!prepare_failed && image_release(path, c->release, sizeof(c->release)) &&
		    sscanf(c->release, "%d.%d", &major, &minor) == 2)
			snprintf(series, sizeof(series), "%d.%d", major, minor);
		else
			snprintf(series, sizeof(series), "%s", c->suite);
		snprintf(c->name, sizeof(c->name), "%s-%s-%s", series,
			 strstr(c->flavor, "cloud") ? "cloud" : "generic", c->what);
	}
}

int main(void)
{
	struct CMUnitTest tests[NR_CONFIGS + 1];

	if (geteuid()) {
		fprintf(stderr, "the VM matrix needs root (it reads the host's apt cache)\n");
		return 1;
	}
	prepare();
	for (size_t i = 0; i < NR_CONFIGS; i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(run_config, &configs[i]);
		tests[i].name = configs[i].name;
	}
	tests[NR_CONFIGS] = (struct CMUnitTest)cmocka_unit_test(test_boots_differ);
	return _cmocka_run_group_tests("vm matrix (Debian kernels under QEMU)", tests,
				       NR_CONFIGS + 1, boot_all, free_logs);
}
