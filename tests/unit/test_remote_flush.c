// SPDX-License-Identifier: GPL-2.0
/*
 * How remote TLB flushes are carried out, decided from what each kind of
 * host did and says of itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ksyms.h"
#include "remote_flush.h"

/* This machine: PVM, whose user-space CPUID shows the outer bhyve. */
static const struct remote_flush_host pvm_host = {
	.cpus = 2, .cpu_hypervisor = true, .cpuid_vendor = "bhyve bhyve ",
	.pv_symbols = "kvm_flush_tlb_multi pvm_flush_tlb_multi",
	.boot_line = "pvm-pv: remote TLB flushes via PVM_HC_FLUSH_TLB_MULTI",
};
static const struct remote_flush_host native_host = {
	.cpus = 8, .pv_symbols = "kvm_flush_tlb_multi hyperv_flush_tlb_multi xen_flush_tlb_multi",
};
/* KVM's PV flush as the kernel uses it: the bit, steal time, no realtime hint */
static const struct remote_flush_host kvm_pv_host = {
	.cpus = 4, .cpu_hypervisor = true, .cpuid_vendor = "KVMKVMKVM", .kvm_pv_tlb_flush = true,
	.pv_symbols = "kvm_flush_tlb_multi",
};
static const struct remote_flush_host tcg_host = {
	.cpus = 2, .cpu_hypervisor = true, .cpuid_vendor = "TCGTCGTCGTCG",
	.pv_symbols = "kvm_flush_tlb_multi", .hyper_type = "NATIVE",
	.pv_flush = "native_flush_tlb_multi",
};

/* h with kvas's own 500 rounds having met irqs TLB interrupts. */
static struct remote_flush_host probed(const struct remote_flush_host *h, uint64_t irqs)
{
	struct remote_flush_host p = *h;

	p.probe = (struct remote_flush_probe){ .ran = true, .rounds = 500,
					       .interrupts_known = true, .tlb_interrupts = irqs };
	return p;
}

static enum remote_flush_method decide(const struct remote_flush_host *h, uint64_t sends,
				       uint64_t received, uint64_t irqs,
				       struct remote_flush_verdict *v)
{
	struct remote_flush_window w = {
		.tlb_traced = true, .sends = sends, .received = received,
		.interrupts_known = true, .tlb_interrupts = irqs,
	};

	remote_flush_decide(h, &w, v);
	return v->method;
}

/* 20,000 mprotect pairs: 40,000 sends, no TLB interrupt on either CPU. */
static void test_pvm_is_hypervisor(void **state)
{
	struct remote_flush_host pvm = probed(&pvm_host, 0), rotated = pvm_host;
	struct remote_flush_verdict v;

	(void)state;
	assert_int_equal(decide(&pvm, 40000, 0, 0, &v), RFM_HYPERVISOR);
	assert_false(v.received_visible);
	assert_string_equal(remote_flush_method_name(v.method), "hypervisor");
	assert_non_null(strstr(v.evidence, "40000 remote flush requests sent, 0 TLB interrupts"));
	assert_non_null(strstr(v.evidence, "500 rounds of write-protect"));
	assert_non_null(strstr(v.evidence, "bhyve"));
	assert_non_null(strstr(v.evidence, "PVM_HC_FLUSH_TLB_MULTI"));
	/* kvas's probe alone decides: a quiet host, the boot log long rotated out */
	rotated.boot_line[0] = '\0';
	rotated = probed(&rotated, 0);
	assert_int_equal(decide(&rotated, 0, 0, 0, &v), RFM_HYPERVISOR);
	/* without the probe, the boot log supports what the counts show */
	assert_int_equal(decide(&pvm_host, 40000, 0, 0, &v), RFM_HYPERVISOR);
	/* and without either, sends with no interrupt could be lazy CPUs: unknown */
	rotated = pvm_host;
	rotated.boot_line[0] = '\0';
	assert_int_equal(decide(&rotated, 40000, 0, 0, &v), RFM_UNKNOWN);
	assert_non_null(strstr(v.evidence, "lazy"));
}

/* Bare metal: the kallsyms names of every hypervisor's flush prove nothing. */
static void test_native_is_ipi(void **state)
{
	struct remote_flush_host native = probed(&native_host, 1000);
	struct remote_flush_verdict v;

	(void)state;
	assert_int_equal(decide(&native, 5000, 4790, 4800, &v), RFM_IPI);
	assert_true(v.received_visible);
	assert_non_null(strstr(v.evidence, "proves nothing"));
	/* lazy CPUs need no IPI: fewer interrupts than sends is still IPIs */
	assert_int_equal(decide(&native_host, 5000, 900, 1000, &v), RFM_IPI);
	/* the probe's IPIs decide before the host has sent enough itself */
	assert_int_equal(decide(&native, 3, 0, 0, &v), RFM_IPI);
}

/* KVM's PV flush: preempted vCPUs flushed by the host, the rest by IPIs. */
static void test_kvm_pv_flush_is_partly_hypervisor(void **state)
{
	struct remote_flush_host kvm = probed(&kvm_pv_host, 700), no_steal = kvm;
	struct remote_flush_verdict v;

	(void)state;
	assert_int_equal(decide(&kvm, 5000, 2900, 3000, &v), RFM_PARTLY_HYPERVISOR);
	assert_true(v.received_visible);
	/* every vCPU preempted while kvas's own requests went: the host did them all */
	kvm = probed(&kvm_pv_host, 0);
	assert_int_equal(decide(&kvm, 5000, 0, 0, &v), RFM_HYPERVISOR);
	/* the bit without steal time (or with the realtime hint): the kernel sends IPIs */
	no_steal.kvm_pv_tlb_flush = false;
	assert_int_equal(decide(&no_steal, 5000, 5000, 5200, &v), RFM_IPI);
}

/* QEMU TCG guests send IPIs: a hypervisor with no PV flush. */
static void test_tcg_guest_is_ipi(void **state)
{
	struct remote_flush_host tcg = probed(&tcg_host, 990);
	struct remote_flush_verdict v;

	(void)state;
	assert_int_equal(decide(&tcg, 1000, 980, 990, &v), RFM_IPI);
	assert_non_null(strstr(v.evidence, "pv_ops flush_tlb_multi: native_flush_tlb_multi"));
	/* fewer interrupts than sends, but no PV flush to do the rest */
	assert_int_equal(decide(&tcg, 1000, 300, 310, &v), RFM_IPI);
	/* a quiet guest's sends to lazy CPUs: no interrupt, yet no hypervisor flush */
	assert_int_equal(decide(&tcg_host, 1000, 0, 0, &v), RFM_UNKNOWN);
}

/* Static facts alone never decide: too few requests and no probe is unknown. */
static void test_too_few_requests(void **state)
{
	struct remote_flush_verdict v;

	(void)state;
	assert_int_equal(decide(&pvm_host, REMOTE_FLUSH_MIN_SENDS - 1, 0, 0, &v), RFM_UNKNOWN);
	assert_non_null(strstr(v.evidence, "needed to judge"));
	assert_non_null(strstr(v.evidence, "PVM_HC_FLUSH_TLB_MULTI"));
	assert_int_equal(decide(&native_host, 0, 0, 0, &v), RFM_UNKNOWN);
	assert_int_equal(decide(&pvm_host, REMOTE_FLUSH_MIN_SENDS, 0, 0, &v), RFM_HYPERVISOR);
}

static void test_one_cpu_and_untraced(void **state)
{
	struct remote_flush_host one = native_host, pvm = probed(&pvm_host, 0);
	struct remote_flush_window w = { .sends = 40000, .interrupts_known = true };
	struct remote_flush_verdict v;

	(void)state;
	one.cpus = 1;
	assert_int_equal(decide(&one, 40000, 0, 0, &v), RFM_UNKNOWN);
	assert_non_null(strstr(v.evidence, "one CPU"));
	remote_flush_decide(&pvm_host, &w, &v);
	assert_int_equal(v.method, RFM_UNKNOWN);
	/* the probe still tells, and says the events were not counted */
	remote_flush_decide(&pvm, &w, &v);
	assert_int_equal(v.method, RFM_HYPERVISOR);
	assert_non_null(strstr(v.evidence, "not counted"));
}

/* No interrupt for kvas's own requests on bare metal: INVLPGB, else nothing to say. */
static void test_broadcast_and_bare_metal_silence(void **state)
{
	struct remote_flush_host amd = probed(&native_host, 0), odd = amd;
	struct remote_flush_verdict v;

	(void)state;
	assert_int_equal(decide(&odd, 3000, 0, 0, &v), RFM_UNKNOWN);
	amd.invlpgb = true;
	assert_int_equal(decide(&amd, 3000, 0, 0, &v), RFM_BROADCAST);
	assert_false(v.received_visible);
}

/* Hyper-V: sends from its own tracepoint; without a TLB line, receipts decide. */
static void test_pv_tracepoints_without_tlb_line(void **state)
{
	struct remote_flush_host hv = {
		.cpus = 4, .cpu_hypervisor = true, .cpuid_vendor = "Microsoft Hv",
		.boot_line = "Hyper-V: Using hypercall for remote TLB flush",
	};
	struct remote_flush_window w = { .tlb_traced = true, .sends = 800 };
	struct remote_flush_verdict v;

	(void)state;
	remote_flush_decide(&hv, &w, &v);
	assert_int_equal(v.method, RFM_HYPERVISOR);
	w.received = 700;
	remote_flush_decide(&hv, &w, &v);
	assert_int_equal(v.method, RFM_PARTLY_HYPERVISOR);
	hv.boot_line[0] = '\0';
	remote_flush_decide(&hv, &w, &v);
	assert_int_equal(v.method, RFM_IPI);
}

/* trace -p: its sends are the task's, the interrupts the machine's: said so. */
static void test_filtered_sends_said(void **state)
{
	struct remote_flush_host pvm = probed(&pvm_host, 0);
	struct remote_flush_window w = {
		.tlb_traced = true, .sends = 4000, .interrupts_known = true,
		.sends_filtered = true,
	};
	struct remote_flush_verdict v;

	(void)state;
	remote_flush_decide(&pvm, &w, &v);
	assert_int_equal(v.method, RFM_HYPERVISOR);
	assert_non_null(strstr(v.evidence, "traced tasks only"));
	w.sends_filtered = false;
	remote_flush_decide(&pvm, &w, &v);
	assert_null(strstr(v.evidence, "traced tasks only"));
}

/* The path of a request, tracing's frames left out; a PV flush on it is support. */
static void test_send_path(void **state)
{
	struct ksym syms[] = {
		{ 0x1000, "bpf_trace_run2" }, { 0x2000, "__bpf_trace_tlb_flush" },
		{ 0x3000, "kvm_flush_tlb_multi" }, { 0x4000, "native_flush_tlb_multi" },
		{ 0x5000, "flush_tlb_mm_range" }, { 0x6000, "change_protection" },
		{ 0x7000, "mprotect_fixup" }, { 0x8000, "do_mprotect_pkey" },
	};
	struct ksyms ks = { syms, sizeof(syms) / sizeof(syms[0]) };
	const uint64_t native[] = { 0x1010, 0x2020, 0x4040, 0x5050, 0x6060, 0x7070, 0x8080 };
	struct remote_flush_host tcg = probed(&tcg_host, 300);
	struct remote_flush_window w = {
		.tlb_traced = true, .sends = 1000, .received = 300, .interrupts_known = true,
		.tlb_interrupts = 300,
	};
	struct remote_flush_verdict v;
	char path[200];

	(void)state;
	remote_flush_send_path(&ks, native, 7, path, sizeof(path));
	assert_string_equal(path, "native_flush_tlb_multi <- flush_tlb_mm_range <- change_protection"
			    " <- mprotect_fixup");
	w.send_path = path;
	remote_flush_decide(&tcg, &w, &v);
	assert_int_equal(v.method, RFM_IPI);
	assert_non_null(strstr(v.evidence, "requests sent from native_flush_tlb_multi"));
	/* a stack of nothing the kernel names */
	remote_flush_send_path(&ks, (const uint64_t[]){ 0x10 }, 1, path, sizeof(path));
	assert_string_equal(path, "");
}

static void test_interrupts_tlb_total(void **state)
{
	static const char pvm[] =
		"           CPU0       CPU1       \n"
		"  0:         45          0   IO-APIC   2-edge      timer\n"
		"CAL:      24287      13659   Function call interrupts\n"
		"TLB:          0          0   TLB shootdowns\n"
		"TRM:          0          0   Thermal event interrupts\n";
	static const char qemu[] =
		"           CPU0       CPU1\n"
		" CAL:        312        290   Function call interrupts\n"
		" TLB:        517        488   TLB shootdowns\n";
	uint64_t n = 7;

	(void)state;
	assert_true(interrupts_tlb_total(pvm, &n));
	assert_int_equal(n, 0);
	assert_true(interrupts_tlb_total(qemu, &n));
	assert_int_equal(n, 1005);
	assert_false(interrupts_tlb_total("           CPU0\n  0:   4   IO-APIC\n", &n));
	assert_false(interrupts_tlb_total("", &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pvm_is_hypervisor),
		cmocka_unit_test(test_native_is_ipi),
		cmocka_unit_test(test_kvm_pv_flush_is_partly_hypervisor),
		cmocka_unit_test(test_tcg_guest_is_ipi),
		cmocka_unit_test(test_too_few_requests),
		cmocka_unit_test(test_one_cpu_and_untraced),
		cmocka_unit_test(test_broadcast_and_bare_metal_silence),
		cmocka_unit_test(test_pv_tracepoints_without_tlb_line),
		cmocka_unit_test(test_filtered_sends_said),
		cmocka_unit_test(test_send_path),
		cmocka_unit_test(test_interrupts_tlb_total),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
