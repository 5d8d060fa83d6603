/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-process counters of the live commands (top, serve, audit's
 * tenants), in one list, so that no place can miss one: the BPF program's
 * task table (struct vm_task_stats) and flush_batch(), userspace's sums and
 * differences, top's rows and their JSON keys, the rest row, the ranking of
 * rows and containers, and serve's per-container families are all made from
 * it. Included by BPF C and userspace C alike: only the columns a side
 * expands need to mean something there.
 *
 * X(field, json, prom, help, flags, total, meaning)
 *   field    member of struct vm_task_stats, and of top's struct top_row
 *            (there a rate per second)
 *   json     its key in top's rows; "" for none
 *   prom     serve's per-container counter family; "" for none
 *   help     that family's HELP text
 *   flags    TC_RANK: ranks rows and containers, busiest first;
 *            TC_RX: null in JSON where the guest cannot see remote flushes
 *   total    the machine-wide count in struct vm_counters *d that top's rest
 *            row is the rows' remainder of; 0 for none
 *   meaning  what it counts (docs/schema/top.schema.json says it for users)
 *
 * The counting itself, which event adds to which field, is count_task() in
 * bpf/vm_count.bpf.c.
 */
#ifndef KVAS_TASK_COUNTERS_H
#define KVAS_TASK_COUNTERS_H

#define TC_RANK	1
#define TC_RX	2

#define TASK_COUNTERS(X)						\
	X(faults_user, "", "", "", 0, d->events[VM_FAULT_USER],		\
	  "page fault events in user mode (top's rows take the kernel's own counts)") \
	X(faults_kernel, "kernel_faults_per_s",				\
	  "kvas_container_kernel_page_faults",				\
	  "Kernel-mode page faults of each container's tasks since kvas serve started;" \
	  " the rest of the live containers in runtime=\"other\".",	\
	  TC_RANK, d->events[VM_FAULT_KERNEL],				\
	  "#PF exceptions taken in kernel mode")			\
	X(tlb_flushes, "tlb_flushes_per_s", "kvas_container_tlb_flushes", \
	  "TLB flushes (local and remote) run by each container's tasks since kvas" \
	  " serve started; the rest of the live containers in runtime=\"other\".", \
	  TC_RANK, d->tlb_class[TLBC_LOCAL] + d->tlb_class[TLBC_REMOTE], \
	  "TLBC_LOCAL and TLBC_REMOTE flushes while it ran")		\
	X(tlb_ipis_sent, "tlb_requests_sent_per_s",			\
	  "kvas_container_tlb_shootdown_requests_sent",			\
	  "TLB shootdown requests sent by each container's tasks since kvas serve" \
	  " started; the rest of the live containers in runtime=\"other\".", \
	  TC_RANK, d->tlb_class[TLBC_SENT],				\
	  "TLBC_SENT: shootdowns it asked for")				\
	X(tlb_remote_received, "tlb_remote_received_per_s", "", "",	\
	  TC_RX, d->tlb_class[TLBC_REMOTE],				\
	  "TLBC_REMOTE flushes run while it ran")			\
	X(tlb_ipi_cpus, "", "", "", 0, 0,				\
	  "other CPUs in its mm's cpumask at each send (top's JSON: per send)") \
	X(tlb_no_flush, "tlb_switches_without_flush_per_s",		\
	  "kvas_container_tlb_switches_without_flush",			\
	  "Task switches to each container's tasks that kept the TLB, since kvas" \
	  " serve started; the rest of the live containers in runtime=\"other\".", \
	  TC_RANK, d->tlb_class[TLBC_NO_FLUSH],				\
	  "TLBC_NO_FLUSH: task switches without a flush")		\
	X(tlb_other, "tlb_other_reasons_per_s", "", "",			\
	  TC_RANK, d->tlb_class[TLBC_OTHER],				\
	  "TLBC_OTHER: any other reason (remote wrong CPU, newer ones)")

/* The list's length, for the size checks of the structs made from it. */
#define TC_ONE(...) +1
#define TASK_NR_COUNTERS (0 TASK_COUNTERS(TC_ONE))

#endif
