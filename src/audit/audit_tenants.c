// SPDX-License-Identifier: GPL-2.0
/* kvas audit: which containers fault and shoot down TLBs, over an interval. */
#include <string.h>

#include "audit_checks.h"
#include "cgroups.h"

#define AREA "Tenants"
/* Shootdown IPIs sent per second from which a tenant is noisy for the others. */
#define NOISY_IPIS_PER_S 1000.0
#define TENANTS_SHOWN 10

static const char why_noisy[] =
	"Each shootdown a tenant sends flushes the other CPUs its mm ran on, other"
	" tenants' work included: by an interrupt, or where the hypervisor carries"
	" remote flushes out (see Remote TLB flushes), by the hypervisor at the cost of"
	" a hypercall. The remote CPUs are counted from the sender's mm_cpumask at each"
	" send: an upper bound, as the kernel may skip lazy CPUs.";

void audit_tenants(struct audit *a, const struct audit_inputs *in)
{
	const struct top_report *r = in->tenants;
	bool visible;

	if (!r) {
		audit_add(a, AREA, "per-container", AUDIT_UNKNOWN, NULL,
			  "page faults and TLB flushes could not be counted");
		return;
	}
	/* where the hypervisor does remote flushes, the guest sees none received */
	visible = r->remote_flush.received_visible;
	for (size_t i = 0; i < r->nr_containers && i < TENANTS_SHOWN; i++) {
		const struct top_row *c = &r->containers[i];
		const char *tail = strrchr(c->cgroup, '/');
		const struct vm_part_state *cpus = &r->parts[VM_PART_REMOTE_CPUS];
		char id[sizeof(c->container)], remote[200], received[80];

		/* the container's name (runtime:short-id pod:uid), else the cgroup's own */
		tail = tail && tail[1] ? tail + 1 : c->cgroup;
		snprintf(id, sizeof(id), "%.*s", (int)sizeof(id) - 1, c->container[0] ? c->container : tail);
		if (cpus->on)
			snprintf(remote, sizeof(remote), "%s up to %.0f remote CPUs/s",
				 visible ? "interrupting" : "reaching (by the hypervisor, not IPIs)",
				 c->ipi_cpus);
		else
			snprintf(remote, sizeof(remote), "remote CPUs not counted (%s)", cpus->why);
		if (visible)
			snprintf(received, sizeof(received), "%.0f of them remote, received",
				 c->remote_received);
		else
			snprintf(received, sizeof(received), "remote ones not visible: %s",
				 remote_flush_method_name(r->remote_flush.method));
		audit_add(a, AREA, id, c->ipis_sent >= NOISY_IPIS_PER_S ? AUDIT_WARN : AUDIT_PASS,
			  why_noisy, "cgroup %s: %.0f page faults/s (%.0f major; %.0f #PF/s in kernel mode),"
			  " %.0f TLB flushes/s run (%s), %.0f shootdown requests sent/s %s,"
			  " %.0f task switches/s without a flush, over %.1f s; attributed by %s",
			  c->cgroup, c->faults, c->majors, c->faults_kernel, c->tlb_flushes, received,
			  c->ipis_sent, remote, c->no_flush, r->interval,
			  cgroup_kind_name(c->attribution));
	}
	if (!r->nr_containers)
		audit_add(a, AREA, "per-container", AUDIT_PASS, NULL,
			  "no page faults or TLB flushes in %.1f s", r->interval);
}
