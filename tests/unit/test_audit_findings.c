// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for what kvas audit says and advises: mitigations= read as the
 * kernel reads it (src/audit/mitigations_arg.c, audit_mitigations.c), absent
 * sysctls (audit_exposure.c), each CPU bug's cause and remedy (audit_vulns.c),
 * every tenant judged (audit_tenants.c), remedies in text and JSON (audit.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_checks.h"
#include "mitigations_arg.h"

static void parse(const char *cmdline, struct mitigations_arg *m)
{
	mitigations_arg_parse(cmdline, m);
}

static int nr_off(const struct mitigations_arg *m)
{
	int n = 0;

	for (int v = 0; v < AV_NR; v++)
		n += m->turned_off[v];
	return n;
}

/* The global option, the attack vectors after it, as kernel/cpu.c reads them. */
static void test_mitigations_parse(void **state)
{
	struct mitigations_arg m;

	(void)state;
	parse("console=ttyS0 quiet", &m);
	assert_false(m.given);
	assert_int_equal(m.global, MITIGATIONS_AUTO);
	assert_int_equal(nr_off(&m), 0);

	parse("mitigations=off", &m);
	assert_true(m.given);
	assert_int_equal(m.global, MITIGATIONS_OFF);
	assert_int_equal(nr_off(&m), AV_NR);

	parse("ro mitigations=auto,nosmt,no_guest_host,no_guest_guest quiet", &m);
	assert_int_equal(m.global, MITIGATIONS_AUTO_NOSMT);
	assert_string_equal(m.value, "auto,nosmt,no_guest_host,no_guest_guest");
	assert_true(m.turned_off[AV_GUEST_HOST] && m.turned_off[AV_GUEST_GUEST]);
	assert_int_equal(nr_off(&m), 2);
	assert_string_equal(m.rejected, "");

	/* no global option: auto */
	parse("mitigations=,no_cross_thread", &m);
	assert_false(m.global_named);
	assert_int_equal(m.global, MITIGATIONS_AUTO);
	assert_true(m.turned_off[AV_CROSS_THREAD]);
	assert_int_equal(nr_off(&m), 1);

	/* a vector with no comma before it: the kernel rejects the whole value */
	parse("mitigations=no_user_kernel", &m);
	assert_string_equal(m.rejected, "no_user_kernel");
	assert_int_equal(nr_off(&m), 0);

	/* the kernel stops at a word it does not know: those before it hold */
	parse("mitigations=auto,no_user_kernel,bogus,no_user_user", &m);
	assert_true(m.turned_off[AV_USER_KERNEL]);
	assert_false(m.turned_off[AV_USER_USER]);
	assert_string_equal(m.rejected, "bogus");

	/* the last one counts; what follows -- is init's */
	parse("mitigations=off mitigations=auto -- mitigations=off", &m);
	assert_int_equal(m.global, MITIGATIONS_AUTO);
	assert_string_equal(attack_vector_option(AV_USER_USER), "no_user_user");
	assert_string_equal(attack_vector_name(AV_GUEST_HOST), "guest-to-host");
}

/* A boot with this command line, and what exposure_read would find. */
struct host {
	struct discovery d;
	struct exposure_facts e;
	struct cpu_vuln vulns[4];
	struct audit_inputs in;
	struct audit a;
};

static struct host *host_new(const char *cmdline)
{
	static const char *const names[NR_SYSCTLS] = {
		"kptr_restrict", "dmesg_restrict", "perf_event_paranoid",
		"unprivileged_bpf_disabled", "kexec_load_disabled",
	};
	static const long careful[NR_SYSCTLS] = { 1, 1, 2, 2, 1 };
	struct host *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	snprintf(h->d.cmdline, sizeof(h->d.cmdline), "%s", cmdline);
	for (int i = 0; i < NR_SYSCTLS; i++) {
		h->e.sysctl[i].name = names[i];
		h->e.sysctl[i].value = careful[i];
	}
	h->e.uid = h->e.gid = 65534;
	h->e.kvm_err = ENOENT;
	h->e.smt_active = 1;
	h->e.vulns_dir = "/sys/devices/system/cpu/vulnerabilities";
	h->e.vulns = h->vulns;
	h->in.d = &h->d;
	h->in.exposure = &h->e;
	return h;
}

static void host_free(struct host *h)
{
	audit_free(&h->a);
	free(h);
}

static const struct audit_finding *find(const struct audit *a, const char *id)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->f[i].id, id))
			return &a->f[i];
	fail_msg("no finding %s", id);
	return NULL;
}

static bool has_finding(const struct audit *a, const char *id)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->f[i].id, id))
			return true;
	return false;
}

/* Every control named is a finding; guests judged by /dev/kvm, cross-thread by SMT. */
static void test_mitigations_findings(void **state)
{
	struct host *h = host_new("mitigations=auto,no_guest_host,no_guest_guest");
	const struct audit_finding *f;

	(void)state;
	audit_mitigations(&h->a, &h->in);
	f = find(&h->a, "mitigations");
	assert_int_equal(f->result, AUDIT_PASS);
	assert_non_null(strstr(f->evidence, "mitigations=auto,no_guest_host,no_guest_guest"));
	/* no /dev/kvm: no guest to mitigate against, and it says so */
	f = find(&h->a, "no_guest_host");
	assert_int_equal(f->result, AUDIT_PASS);
	assert_non_null(strstr(f->evidence, "guest-to-host mitigations off"));
	assert_non_null(strstr(f->evidence, "no /dev/kvm"));
	assert_int_equal(find(&h->a, "no_guest_guest")->result, AUDIT_PASS);
	assert_false(has_finding(&h->a, "no_user_kernel"));
	host_free(h);

	h = host_new("mitigations=auto,no_user_kernel,no_guest_host,no_cross_thread");
	h->e.kvm_err = 0;	/* a hypervisor */
	audit_mitigations(&h->a, &h->in);
	assert_int_equal(find(&h->a, "no_user_kernel")->result, AUDIT_FAIL);
	assert_int_equal(find(&h->a, "no_guest_host")->result, AUDIT_WARN);
	f = find(&h->a, "no_cross_thread");
	assert_int_equal(f->result, AUDIT_WARN);
	assert_non_null(strstr(f->remedy, "no_cross_thread"));
	host_free(h);

	h = host_new("mitigations=off");
	audit_mitigations(&h->a, &h->in);
	f = find(&h->a, "mitigations");
	assert_int_equal(f->result, AUDIT_FAIL);
	assert_non_null(strstr(f->remedy, "Drop mitigations=off"));
	host_free(h);

	h = host_new("mitigations=auto,no_user_kernl");
	audit_mitigations(&h->a, &h->in);
	f = find(&h->a, "mitigations-rejected");
	assert_int_equal(f->result, AUDIT_WARN);
	assert_non_null(strstr(f->evidence, "'no_user_kernl'"));
	host_free(h);

	h = host_new("quiet");
	audit_mitigations(&h->a, &h->in);
	assert_non_null(strstr(find(&h->a, "mitigations")->evidence, "absent in /proc/cmdline"));
	host_free(h);
}

/* A sysctl the kernel does not have is absent, with what that means; never -1. */
static void test_sysctl_absent(void **state)
{
	struct host *h = host_new("");
	const struct audit_finding *f;

	(void)state;
	h->e.sysctl[SYSCTL_KEXEC_LOAD_DISABLED].err = ENOENT;
	audit_exposure(&h->a, &h->in);
	f = find(&h->a, "settings");
	assert_int_equal(f->result, AUDIT_PASS);
	assert_non_null(strstr(f->evidence, "kexec_load_disabled absent (no kexec_load in this"
			       " kernel: nothing to disable)"));
	assert_null(strstr(f->evidence, "-1"));
	host_free(h);

	/* unreadable is not absent: the setting is not judged */
	h = host_new("");
	h->e.sysctl[SYSCTL_KEXEC_LOAD_DISABLED].err = EACCES;
	audit_exposure(&h->a, &h->in);
	f = find(&h->a, "settings");
	assert_int_equal(f->result, AUDIT_UNKNOWN);
	assert_non_null(strstr(f->evidence, "kexec_load_disabled unreadable (Permission denied)"));
	host_free(h);

	/* a weak value warns, says which, and what to do; -1 is a value here */
	h = host_new("");
	h->e.sysctl[SYSCTL_PERF_EVENT_PARANOID].value = -1;
	audit_exposure(&h->a, &h->in);
	f = find(&h->a, "settings");
	assert_int_equal(f->result, AUDIT_WARN);
	assert_non_null(strstr(f->evidence, "perf_event_paranoid=-1"));
	assert_non_null(strstr(f->evidence, "weaker than the careful value: perf_event_paranoid"));
	assert_non_null(strstr(f->remedy, "sysctl -w"));
	host_free(h);

	/* no /sys/kernel/notes at all: nothing to read, not unknown */
	h = host_new("");
	h->e.notes_err = ENOENT;
	audit_exposure(&h->a, &h->in);
	f = find(&h->a, "kernel-notes");
	assert_int_equal(f->result, AUDIT_PASS);
	assert_non_null(strstr(f->evidence, "no /sys/kernel/notes"));
	host_free(h);
}

/* Each CPU bug its own cause; the remedy follows what the kernel says is missing. */
static void test_vulnerability_remedies(void **state)
{
	struct host *h = host_new("");
	const struct audit_finding *srso, *ssb, *mds, *x;

	(void)state;
	snprintf(h->vulns[0].name, sizeof(h->vulns[0].name), "spec_rstack_overflow");
	snprintf(h->vulns[0].text, sizeof(h->vulns[0].text), "Vulnerable: No microcode");
	snprintf(h->vulns[1].name, sizeof(h->vulns[1].name), "spec_store_bypass");
	snprintf(h->vulns[1].text, sizeof(h->vulns[1].text), "Vulnerable");
	snprintf(h->vulns[2].name, sizeof(h->vulns[2].name), "mds");
	snprintf(h->vulns[2].text, sizeof(h->vulns[2].text), "Vulnerable: Clear CPU buffers"
		 " attempted, no microcode; SMT vulnerable");
	snprintf(h->vulns[3].name, sizeof(h->vulns[3].name), "new_bug");
	snprintf(h->vulns[3].text, sizeof(h->vulns[3].text), "Vulnerable");
	h->e.nr_vulns = 4;
	audit_vulnerabilities(&h->a, &h->in);
	srso = find(&h->a, "spec_rstack_overflow");
	ssb = find(&h->a, "spec_store_bypass");
	mds = find(&h->a, "mds");
	x = find(&h->a, "new_bug");
	assert_int_equal(srso->result, AUDIT_FAIL);
	assert_non_null(strstr(srso->why, "SRSO"));
	assert_non_null(strstr(srso->remedy, "microcode"));
	assert_non_null(strstr(srso->remedy, "spec_rstack_overflow=safe-ret"));
	assert_non_null(strstr(ssb->why, "Spectre v4"));
	assert_null(strstr(ssb->remedy, "microcode"));
	assert_non_null(strstr(ssb->remedy, "spec_store_bypass_disable="));
	assert_non_null(strstr(mds->remedy, "microcode"));
	assert_non_null(strstr(mds->remedy, "nosmt"));
	/* no two bugs share a cause */
	assert_string_not_equal(srso->why, ssb->why);
	assert_string_not_equal(mds->why, ssb->why);
	assert_non_null(strstr(x->remedy, "Documentation/admin-guide/hw-vuln/"));
	host_free(h);
}

/* Seven cgroups, the shootdown sender the least busy of all by total events. */
static void test_every_tenant_judged(void **state)
{
	struct top_report r = { .interval = 2, .by = TOP_BY_CGROUP };
	struct top_row rows[13] = { 0 };
	struct audit_inputs in = { 0 };
	struct audit a = { 0 };
	size_t warns = 0;

	(void)state;
	for (int i = 0; i < 13; i++) {
		snprintf(rows[i].cgroup, sizeof(rows[i].cgroup), "/tenant-%02d", i);
		rows[i].faults = 50000 - i * 1000;	/* busiest first, as the report sorts */
	}
	rows[12].faults = 10;
	rows[12].tlb_ipis_sent = 2500;
	r.rows = rows;
	r.nr_rows = 13;
	in.tenants = &r;
	audit_tenants(&a, &in);
	for (size_t i = 0; i < a.n; i++)
		warns += a.f[i].result == AUDIT_WARN;
	assert_int_equal(warns, 1);
	assert_int_equal(find(&a, "tenant-12")->result, AUDIT_WARN);
	assert_non_null(strstr(find(&a, "tenant-12")->remedy, "kvas trace --cgroup /tenant-12"));
	/* ten passing ones shown, the other two summed up: judged all the same */
	assert_true(has_finding(&a, "tenant-09"));
	assert_false(has_finding(&a, "tenant-10"));
	assert_non_null(strstr(find(&a, "other-cgroups")->evidence, "2 less busy cgroups"));
	audit_free(&a);
}

/* The remedy is shown for warn and fail only, in text and JSON. */
static void test_remedy_shown(void **state)
{
	struct audit a = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_t *j, *arr;

	(void)state;
	audit_add(&a, "A", "ok", AUDIT_PASS, "why", "fine");
	audit_remedy(&a, "never shown");
	audit_add(&a, "A", "bad", AUDIT_FAIL, "why", "bad");
	audit_remedy(&a, "fix %s", "it");
	audit_text(&a, f);
	fclose(f);
	assert_non_null(strstr(text, "do:  fix it\n"));
	assert_null(strstr(text, "never shown"));
	free(text);
	j = audit_json(&a, AUDIT_FAIL);
	arr = json_object_get(j, "findings");
	assert_true(json_is_null(json_object_get(json_array_get(arr, 0), "remedy")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 1), "remedy")),
			    "fix it");
	json_decref(j);
	audit_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mitigations_parse),
		cmocka_unit_test(test_mitigations_findings),
		cmocka_unit_test(test_sysctl_absent),
		cmocka_unit_test(test_vulnerability_remedies),
		cmocka_unit_test(test_every_tenant_judged),
		cmocka_unit_test(test_remedy_shown),
	};

	return cmocka_run_group_tests_name("audit findings", tests, NULL, NULL);
}
