// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote_flush.h"

const char *remote_flush_method_name(enum remote_flush_method m)
{
	static const char *const names[] = {
		[RFM_UNKNOWN] = "unknown", [RFM_IPI] = "ipi", [RFM_HYPERVISOR] = "hypervisor",
		[RFM_PARTLY_HYPERVISOR] = "partly-hypervisor", [RFM_BROADCAST] = "broadcast",
	};

	return m <= RFM_BROADCAST ? names[m] : "unknown";
}

bool interrupts_tlb_total(const char *text, uint64_t *total)
{
	const char *line = text;

	/* "TLB:" stands first on its line, after the padding that aligns the names */
	while (line && *line) {
		const char *p = line + strspn(line, " ");

		if (!strncmp(p, "TLB:", 4)) {
			char *end;

			*total = 0;
			p += 4;
			for (;;) {
				unsigned long long v = strtoull(p, &end, 10);

				if (end == p)
					break;
				*total += v;
				p = end;
			}
			return true;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return false;
}

/* Does the host say that a hypervisor may take remote flushes over? */
static bool host_has_pv_flush(const struct remote_flush_host *h)
{
	return h->boot_line[0] ||
	       (h->pv_flush[0] && strcmp(h->pv_flush, "native_flush_tlb_multi")) ||
	       (h->kvm_pv_tlb_flush && !strcmp(h->cpuid_vendor, "KVMKVMKVM"));
}

/* What the host says of itself, after "; ": the support, never the proof. */
static void host_facts(const struct remote_flush_host *h, char *buf, size_t len)
{
	size_t n = 0;

#define ADD(...) (n += snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	if (h->cpu_hypervisor)
		ADD("; CPUID: a hypervisor, leaf 0x40000000 '%s' (as user space sees it)",
		    h->cpuid_vendor);
	else
		ADD("; CPUID: no hypervisor");
	if (h->kvm_pv_tlb_flush)
		ADD("; KVM offers PV TLB flush");
	if (h->hyper_type[0])
		ADD("; the kernel's x86_hyper_type: %s", h->hyper_type);
	if (h->pv_flush[0])
		ADD("; pv_ops flush_tlb_multi: %s", h->pv_flush);
	if (h->pv_symbols[0])
		ADD("; kallsyms has %s (alone, proves nothing)", h->pv_symbols);
	if (h->boot_line[0])
		ADD("; boot log: \"%s\"", h->boot_line);
	if (h->invlpgb)
		ADD("; the CPU has INVLPGB and the kernel broadcast_tlb_flush");
#undef ADD
	if (n >= len && len > 4)
		strcpy(buf + len - 4, "...");
}

void remote_flush_decide(const struct remote_flush_host *h, const struct remote_flush_window *w,
			 struct remote_flush_verdict *v)
{
	unsigned long long sends = w->sends, received = w->received, irqs = w->tlb_interrupts;
	char facts[384];
	const char *what;

	host_facts(h, facts, sizeof(facts));
	v->method = RFM_UNKNOWN;
	v->received_visible = true;
	if (h->cpus < 2) {
		snprintf(v->evidence, sizeof(v->evidence), "one CPU: no remote flushes%s", facts);
		return;
	}
	if (!w->tlb_traced) {
		snprintf(v->evidence, sizeof(v->evidence), "tlb:tlb_flush is not counted%s", facts);
		return;
	}
	if (w->sends < REMOTE_FLUSH_MIN_SENDS) {
		snprintf(v->evidence, sizeof(v->evidence), "%llu remote flush requests seen, %d"
			 " needed to judge how they are carried out%s", sends,
			 REMOTE_FLUSH_MIN_SENDS, facts);
		return;
	}
	if (!w->interrupts_known) {
		/* no TLB line: the flushes received are the only receiving side left */
		if (received)
			v->method = RFM_IPI;
		else if (h->cpu_hypervisor && host_has_pv_flush(h))
			v->method = RFM_HYPERVISOR;
		v->received_visible = v->method != RFM_HYPERVISOR;
		snprintf(v->evidence, sizeof(v->evidence), "%llu requests sent, %llu flushes received"
			 " (no TLB line in /proc/interrupts)%s", sends, received, facts);
		return;
	}
	if (!irqs && !received) {
		if (h->cpu_hypervisor) {
			v->method = RFM_HYPERVISOR;
			what = "no CPU received one: the hypervisor carries them out";
		} else if (h->invlpgb) {
			v->method = RFM_BROADCAST;
			what = "no CPU received one: INVLPGB broadcasts them";
		} else {
			what = "no CPU received one, on a host with neither a hypervisor nor INVLPGB";
		}
		v->received_visible = v->method == RFM_UNKNOWN;
	} else if (h->cpu_hypervisor && host_has_pv_flush(h) && irqs < sends) {
		v->method = RFM_PARTLY_HYPERVISOR;
		what = "fewer interrupts than requests: the hypervisor flushes some vCPUs"
		       " (preempted ones) itself";
	} else {
		v->method = RFM_IPI;
		what = "other CPUs receive and run them";
	}
	snprintf(v->evidence, sizeof(v->evidence), "%llu remote flush requests sent, %llu TLB"
		 " interrupts (/proc/interrupts) and %llu flushes received over the same time: %s%s",
		 sends, irqs, received, what, facts);
}
