// SPDX-License-Identifier: GPL-2.0
/* kvas audit: which containers fault and shoot down TLBs, over an interval. */
#include <string.h>

#include "audit_checks.h"
#include "cgroups.h"

#define AREA "Tenants"
/* Shootdown IPIs sent per second from which a tenant is noisy for the others. */
#define NOISY_IPIS_PER_S 1000.0
/* Passing tenants shown one by one, busiest first; the others are summed up. */
#define TENANTS_SHOWN 10

static const char why_noisy[] =
	"Each shootdown a tenant sends flushes the other CPUs its mm ran on, other"
	" tenants' work included: by an interrupt, or where the hypervisor carries"
	" remote flushes out (see Remote TLB flushes), by the hypervisor at the cost of"
	" a hypercall. The remote CPUs are counted from the sender's mm_cpumask at each"
	" send: an upper bound, as the kernel may skip lazy CPUs.";

static bool noisy(const struct top_row *c)
{
	return c->tlb_ipis_sent >= NOISY_IPIS_PER_S;
}

/* One tenant's finding: its rates as evidence; a noisy one warns, with what to do. */
static void tenant_finding(struct audit *a, const struct top_report *r, const struct top_row *c)
{
	const char *tail = strrchr(c->cgroup, '/');
	const struct vm_part_state *cpus = &r->parts[VM_PART_REMOTE_CPUS];
	/* where the hypervisor does remote flushes, the guest sees none received */
	bool visible = r->remote_flush.received_visible;
	char id[sizeof(c->container)], remote[200], received[80];

	/* the container's name (runtime:short-id pod:uid), else the cgroup's own */
	tail = tail && tail[1] ? tail + 1 : c->cgroup;
	snprintf(id, sizeof(id), "%.*s", (int)sizeof(id) - 1, c->container[0] ? c->container : tail);
	if (cpus->on)
		snprintf(remote, sizeof(remote), "%s up to %.0f remote CPUs/s",
			 visible ? "interrupting" : "reaching (by the hypervisor, not IPIs)",
			 c->tlb_ipi_cpus);
	else
		snprintf(remote, sizeof(remote), "remote CPUs not counted (%s)", cpus->why);
	if (visible)
		snprintf(received, sizeof(received), "%.0f of them remote, received",
			 c->tlb_remote_received);
	else
		snprintf(received, sizeof(received), "remote ones not visible: %s",
			 remote_flush_method_name(r->remote_flush.method));
	audit_add(a, AREA, id, noisy(c) ? AUDIT_WARN : AUDIT_PASS,
		  why_noisy, "cgroup %s: %.0f page faults/s (%.0f major; %.0f #PF/s in kernel mode),"
		  " %.0f TLB flushes/s run (%s), %.0f shootdown requests sent/s %s,"
		  " %.0f task switches/s without a flush, over %.1f s; attributed by %s",
		  c->cgroup, c->faults, c->majors, c->faults_kernel, c->tlb_flushes, received,
		  c->tlb_ipis_sent, remote, c->tlb_no_flush, r->interval,
		  cgroup_kind_name(c->attribution));
	audit_remedy(a, "Find its processes with 'kvas top --by pid' and its flushes with"
		     " 'kvas trace --cgroup %.200s'. Shootdowns come from munmap, mprotect,"
		     " madvise(MADV_DONTNEED) and page migration in a process whose threads run"
		     " on several CPUs: batch those calls, keep the tenant on fewer CPUs (a"
		     " cpuset), or give it CPUs no other tenant shares.", c->cgroup);
}

/* The passing tenants not shown one by one, summed up: judged all the same. */
static void others_finding(struct audit *a, size_t n, const struct top_row *most)
{
	if (n)
		audit_add(a, AREA, "other-cgroups", AUDIT_PASS, why_noisy,
			  "%zu less busy cgroups judged too: none sent %.0f shootdown requests/s"
			  " (the most, %.0f/s, cgroup %s)", n, NOISY_IPIS_PER_S, most->tlb_ipis_sent,
			  most->cgroup);
}

/* Requests no cgroup's row holds: processes gone between reads or evicted from the table. */
static void unattributed_finding(struct audit *a, const struct top_report *r)
{
	if (r->rest.tlb_ipis_sent < NOISY_IPIS_PER_S)
		return;
	audit_add(a, AREA, "unattributed", AUDIT_UNKNOWN, why_noisy,
		  "%.0f shootdown requests sent/s by processes no cgroup's count holds (gone"
		  " between reads, or %llu evicted from kvas's table): their tenant cannot be"
		  " judged", r->rest.tlb_ipis_sent, (unsigned long long)r->evicted);
}

void audit_tenants(struct audit *a, const struct audit_inputs *in)
{
	const struct top_report *r = in->tenants;
	const struct top_row *most = NULL;
	size_t shown = 0, others = 0;

	if (!r) {
		audit_add(a, AREA, "per-container", AUDIT_UNKNOWN, NULL,
			  "page faults and TLB flushes could not be counted");
		return;
	}
	/*
	 * Every cgroup the snapshot measured is judged, not only the busiest by
	 * all events: a tenant that sends many shootdowns may do little else.
	 */
	for (size_t i = 0; i < r->nr_rows; i++) {
		const struct top_row *c = &r->rows[i];

		if (noisy(c) || shown < TENANTS_SHOWN) {
			tenant_finding(a, r, c);
			shown += !noisy(c);
		} else {
			others++;
			if (!most || c->tlb_ipis_sent > most->tlb_ipis_sent)
				most = c;
		}
	}
	others_finding(a, others, most);
	unattributed_finding(a, r);
	if (!r->nr_rows)
		audit_add(a, AREA, "per-container", AUDIT_PASS, NULL,
			  "no page faults or TLB flushes in %.1f s", r->interval);
}
