/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How this kernel carries out remote TLB flushes: by IPIs that the other
 * CPUs receive and run (native, QEMU), by the hypervisor (PVM, Hyper-V, Xen
 * PV: the request is a hypercall and nothing runs on the other vCPU), partly
 * by the hypervisor (KVM's PV flush: preempted vCPUs are flushed by the host
 * at their next entry) or by INVLPGB broadcasts (AMD, 6.15+).
 *
 * Decided from what the kernel did (requests sent, flushes received and the
 * TLB interrupts it counted over the same window), with what it and the CPU
 * say of themselves as support; never from one of them alone: user-space
 * CPUID under PVM shows the outer hypervisor, and distribution kernels carry
 * every hypervisor's flush function even on bare metal.
 */
#ifndef KVAS_REMOTE_FLUSH_H
#define KVAS_REMOTE_FLUSH_H

#include <stdbool.h>
#include <stdint.h>

enum remote_flush_method {
	RFM_UNKNOWN,
	RFM_IPI,
	RFM_HYPERVISOR,
	RFM_PARTLY_HYPERVISOR,
	RFM_BROADCAST,
};

/* Requests to see before the kernel's behaviour decides anything. */
#define REMOTE_FLUSH_MIN_SENDS 200

/*
 * What kvas's own requests met: a child write-protected a page rounds times
 * (two requests each where the kernel flushes both) while its second thread
 * read the page on another CPU, so that CPU was never lazy: where the kernel
 * sends IPIs, some must have come.
 */
struct remote_flush_probe {
	bool ran;
	unsigned int rounds;
	bool interrupts_known;
	uint64_t tlb_interrupts;	/* /proc/interrupts' TLB count, every CPU, meanwhile */
};

/*
 * What is known of the host before counting, read once
 * (src/kernel/remote_flush_host.c): what it says of itself, and the probe.
 */
struct remote_flush_host {
	unsigned int cpus;		/* online */
	bool cpu_hypervisor;		/* CPUID.1:ECX[31]: running under a hypervisor */
	char cpuid_vendor[13];		/* leaf 0x40000000 as user space sees it; "" none */
	/* KVM's PV flush in use: its bit, with steal time and no realtime hint, as the kernel asks */
	bool kvm_pv_tlb_flush;
	char pv_flush[64];		/* pv_ops.mmu.flush_tlb_multi's symbol; "" unread */
	char hyper_type[32];		/* the kernel's x86_hyper_type; "" unread */
	char pv_symbols[96];		/* *_flush_tlb_multi in kallsyms: present even on bare metal */
	char boot_line[160];		/* the kernel log's line on remote flushes; "" none */
	bool invlpgb;			/* the CPU has INVLPGB and the kernel uses it */
	struct remote_flush_probe probe;
};

/* What the kernel did over one window: counts since the same moment. */
struct remote_flush_window {
	bool tlb_traced;		/* kvas counted tlb:tlb_flush */
	uint64_t sends;			/* requests: TLB_REMOTE_SEND_IPI, Hyper-V's and Xen's sends */
	uint64_t received;		/* TLB_REMOTE_SHOOTDOWN: flushes an IPI ran */
	bool interrupts_known;		/* /proc/interrupts has a TLB line */
	uint64_t tlb_interrupts;	/* its count, all CPUs */
	const char *send_path;		/* a request's callers (remote_flush_send_path); NULL */
	bool sends_filtered;		/* only some tasks' sends counted (trace -p ...) */
};

struct remote_flush_verdict {
	enum remote_flush_method method;
	bool received_visible;		/* flushes on the other CPUs show in this guest */
	char evidence[1024];
};

void remote_flush_decide(const struct remote_flush_host *h, const struct remote_flush_window *w,
			 struct remote_flush_verdict *v);
/* "ipi", "hypervisor", "partly-hypervisor", "broadcast", "unknown". */
const char *remote_flush_method_name(enum remote_flush_method m);

struct ksyms;

/*
 * A request's kernel stack (ips, innermost first) as the functions that
 * sent it, innermost first, "a <- b <- c", tracing's own frames left out.
 */
void remote_flush_send_path(const struct ksyms *ks, const uint64_t *ips, size_t n,
			    char *buf, size_t len);

/* The sum of /proc/interrupts' TLB line over every CPU; false when it has none. */
bool interrupts_tlb_total(const char *text, uint64_t *total);

#endif
