// SPDX-License-Identifier: GPL-2.0
/* kvas audit: how this kernel carries out remote TLB flushes, and the evidence. */
#include "audit_checks.h"

#define AREA "Remote TLB flushes"

static const char why_method[] =
	"With IPIs each remote flush request interrupts the other CPUs that ran the mm,"
	" other tenants' work included, and the guest counts the flushes they run (the TLB"
	" line of /proc/interrupts). Where the hypervisor carries them out, the request is a"
	" hypercall: nothing runs on the other vCPUs, and the flushes received cannot be"
	" counted from inside the guest.";

void audit_flushes(struct audit *a, const struct audit_inputs *in)
{
	const struct top_report *r = in->tenants;
	const struct remote_flush_verdict *v;

	if (!r) {
		audit_add(a, AREA, "method", AUDIT_UNKNOWN, why_method,
			  "TLB flushes could not be counted");
		return;
	}
	v = &r->remote_flush;
	audit_add(a, AREA, "method", v->method == RFM_UNKNOWN ? AUDIT_UNKNOWN : AUDIT_PASS,
		  why_method, "%s: %s", remote_flush_method_name(v->method), v->evidence);
}
