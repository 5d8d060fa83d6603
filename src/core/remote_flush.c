// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"
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

/* The frames of the tracepoint and BPF machinery, not the kernel's path. */
static bool tracing_frame(const char *name)
{
	static const char *const prefixes[] = {
		"bpf_", "__bpf_", "__traceiter_", "trace_", "perf_trace_", "__probestub_",
		"__x64_sys_", "do_syscall_", "entry_SYSCALL",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

void remote_flush_send_path(const struct ksyms *ks, const uint64_t *ips, size_t n,
			    char *buf, size_t len)
{
	size_t used = 0;
	int shown = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n && ips[i] && shown < 4; i++) {
		char name[128];
		const char *sym = ksyms_name(ks, ips[i], name, sizeof(name));
		int w;

		if (!sym || tracing_frame(sym))
			continue;
		name[strcspn(name, "+")] = '\0';
		w = snprintf(buf + used, len - used, "%s%s", shown ? " <- " : "", name);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += w;
		shown++;
	}
}

/*
 * Does the kernel say a hypervisor takes remote flushes over? Its boot log,
 * its pv_ops entry, its hypervisor type; and KVM's PV flush as the kernel
 * itself decides to use it (the CPUID bit, steal time, no realtime hint).
 * CPUID's hypervisor bit alone is not this: QEMU with TCG sets it too.
 */
static bool kernel_says_pv_flush(const struct remote_flush_host *h)
{
	return h->boot_line[0] || h->kvm_pv_tlb_flush ||
	       (h->pv_flush[0] && strcmp(h->pv_flush, "native_flush_tlb_multi")) ||
	       (h->hyper_type[0] && strcmp(h->hyper_type, "NATIVE"));
}

/* What the host says of itself, after "; ": the support, never the proof. */
static void host_facts(const struct remote_flush_host *h, const struct remote_flush_window *w,
		       char *buf, size_t len)
{
	size_t n = 0;

	/* snprintf's return can pass the room left: n stays within the buffer */
#define ADD(...) (n += snprintf(buf + n, len - n, __VA_ARGS__), n = n < len ? n : len - 1)
	if (!len)
		return;
	buf[0] = '\0';
	if (h->probe.ran)
		ADD("; kvas's own %u rounds of write-protect with a reader on another CPU met %llu"
		    " TLB interrupts", h->probe.rounds, (unsigned long long)h->probe.tlb_interrupts);
	if (w->send_path && w->send_path[0])
		ADD("; requests sent from %s", w->send_path);
	if (w->sends_filtered)
		ADD("; requests counted for the traced tasks only, interrupts for every CPU");
	if (h->cpu_hypervisor)
		ADD("; CPUID: a hypervisor, leaf 0x40000000 '%s' (as user space sees it)",
		    h->cpuid_vendor);
	else
		ADD("; CPUID: no hypervisor");
	if (h->kvm_pv_tlb_flush)
		ADD("; KVM offers PV TLB flush, with steal time");
	if (h->hyper_type[0])
		ADD("; the kernel's x86_hyper_type: %s", h->hyper_type);
	if (h->pv_flush[0])
		ADD("; pv_ops flush_tlb_multi: %s", h->pv_flush);
	if (h->pv_symbols[0])
		ADD("; kallsyms has %s (alone, proves nothing)", h->pv_symbols);
	if (h->boot_line[0])
		ADD("; boot log: \"%s\"", h->boot_line);
	if (h->invlpgb)
		ADD("; the CPU has INVLPGB and the kernel broadcast_tlb_flush (broadcasts are"
		    " not counted as requests)");
#undef ADD
	if (n >= len - 1 && len > 4)
		strcpy(buf + len - 4, "...");
}

/* Neither IPIs nor received flushes: who does them, if the host tells. */
static enum remote_flush_method without_ipis(const struct remote_flush_host *h, bool proven,
					     const char **what)
{
	if (h->cpu_hypervisor && (proven || kernel_says_pv_flush(h))) {
		*what = "no CPU received one: the hypervisor carries them out";
		return RFM_HYPERVISOR;
	}
	if (h->invlpgb) {
		*what = "no CPU received one: INVLPGB broadcasts them";
		return RFM_BROADCAST;
	}
	*what = proven ? "no CPU received one, on a host with neither a hypervisor nor INVLPGB" :
		"no CPU received one: their CPUs were lazy, or a hypervisor does them, and"
		" nothing the kernel says tells which";
	return RFM_UNKNOWN;
}

void remote_flush_decide(const struct remote_flush_host *h, const struct remote_flush_window *w,
			 struct remote_flush_verdict *v)
{
	unsigned long long sends = w->sends, received = w->received, irqs = w->tlb_interrupts;
	const struct remote_flush_probe *p = &h->probe;
	/* kvas's own requests reached a CPU running the mm: no interrupt means none is sent */
	bool probed = p->ran && p->interrupts_known;
	bool seen = w->tlb_traced && w->sends >= REMOTE_FLUSH_MIN_SENDS;
	const char *what = "";
	char facts[640];

	host_facts(h, w, facts, sizeof(facts));
	v->method = RFM_UNKNOWN;
	v->received_visible = true;
	if (h->cpus < 2) {
		snprintf(v->evidence, sizeof(v->evidence), "one CPU: no remote flushes%s", facts);
		return;
	}
	if (probed && !p->tlb_interrupts) {
		v->method = without_ipis(h, true, &what);
	} else if (probed || (seen && w->interrupts_known && (irqs || received)) ||
		   (seen && !w->interrupts_known && received)) {
		/* interrupts come: by IPIs, all of them or those the hypervisor leaves */
		if (h->cpu_hypervisor && kernel_says_pv_flush(h)) {
			v->method = RFM_PARTLY_HYPERVISOR;
			what = "IPIs, but the kernel uses the hypervisor's flush: it flushes some"
			       " vCPUs (preempted ones) itself";
		} else {
			v->method = RFM_IPI;
			what = "other CPUs receive and run them";
		}
	} else if (seen) {
		v->method = without_ipis(h, false, &what);
	} else {
		snprintf(v->evidence, sizeof(v->evidence), "%llu remote flush requests seen, %d"
			 " needed to judge how they are carried out%s", sends,
			 REMOTE_FLUSH_MIN_SENDS, facts);
		return;
	}
	v->received_visible = v->method != RFM_HYPERVISOR && v->method != RFM_BROADCAST;
	if (!w->tlb_traced)
		snprintf(v->evidence, sizeof(v->evidence), "%s (tlb:tlb_flush not counted)%s",
			 what, facts);
	else if (w->interrupts_known)
		snprintf(v->evidence, sizeof(v->evidence), "%llu remote flush requests sent, %llu TLB"
			 " interrupts (/proc/interrupts) and %llu flushes received over the same"
			 " time: %s%s", sends, irqs, received, what, facts);
	else
		snprintf(v->evidence, sizeof(v->evidence), "%llu remote flush requests sent, %llu"
			 " flushes received (no TLB line in /proc/interrupts): %s%s", sends,
			 received, what, facts);
}
