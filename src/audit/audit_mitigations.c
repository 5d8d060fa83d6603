// SPDX-License-Identifier: GPL-2.0
/*
 * kvas audit: the kernel's mitigations= option, with every control it names
 * and what each turned off (attack_vector_controls.rst in the kernel's
 * Documentation/admin-guide/hw-vuln).
 */
#include <errno.h>
#include <string.h>

#include "audit_checks.h"
#include "mitigations_arg.h"

#define AREA "Kernel command line"

static const char why_mitigations[] =
	"The CPU-bug mitigations keep user processes, guests and SMT siblings from reading"
	" the kernel's memory, and each other's, through speculation: what KASLR and PTI"
	" hide.";

static const char remedy_edit[] =
	" Edit the boot loader's entry (GRUB_CMDLINE_LINUX in /etc/default/grub, then"
	" update-grub) or the hypervisor's or loader's boot arguments, and reboot.";

/* What turning a vector off gives up, and whom it exposes to what. */
static const struct vector_fact {
	const char *gives_up;
	const char *remedy;
} vector_facts[AV_NR] = {
	[AV_USER_KERNEL] = {
		"user-to-kernel mitigations off: a user process may read kernel memory"
		" through Meltdown (PTI, unless pti=on), Spectre v1 and v2, BHI, ITS,"
		" Retbleed, SRSO, L1TF, MDS, MMIO, GDS, RFDS, SRBDS, TAA and TSA; KASLR"
		" and PTI are then no barrier",
		"Drop no_user_kernel from mitigations= unless only trusted code runs here:"
		" a container host runs its tenants' code.",
	},
	[AV_USER_USER] = {
		"user-to-user mitigations off: a process may read or steer another"
		" (Spectre v2 between processes: IBPB and STIBP; GDS, MDS, MMIO, RFDS,"
		" SRBDS, TAA, TSA)",
		"Drop no_user_user from mitigations= unless every process on this host is"
		" trusted: containers of different owners are not.",
	},
	[AV_GUEST_HOST] = {
		"guest-to-host mitigations off: a guest may read this kernel's memory"
		" (BHI, ITS, L1TF, MDS, MMIO, GDS, Retbleed, RFDS, Spectre v2, SRBDS, SRSO,"
		" TAA, TSA)",
		"Drop no_guest_host from mitigations= while this host runs guests it does"
		" not trust.",
	},
	[AV_GUEST_GUEST] = {
		"guest-to-guest mitigations off: a guest may read or steer another (GDS,"
		" MDS, MMIO, RFDS, SRBDS, TAA, TSA, Spectre v2 between guests)",
		"Drop no_guest_guest from mitigations= while this host runs guests of"
		" different owners.",
	},
	[AV_CROSS_THREAD] = {
		"cross-thread mitigations off: code on one SMT sibling may observe the"
		" other's (MDS, L1TF, TAA, MMIO, GDS, Retbleed and Spectre v2 through"
		" STIBP)",
		"Drop no_cross_thread from mitigations= (auto,nosmt mitigates fully), or"
		" keep untrusted tenants off each other's sibling threads (core"
		" scheduling, cpusets).",
	},
};

static const char *global_meaning(const struct mitigations_arg *m)
{
	switch (m->global) {
	case MITIGATIONS_OFF:
		return "off: every attack vector unmitigated, PTI included";
	case MITIGATIONS_AUTO_NOSMT:
		return "auto,nosmt: every attack vector mitigated, cross-thread fully (SMT off"
		       " where the CPU's bugs need it)";
	default:
		return "auto: every attack vector mitigated, cross-thread partly (SMT stays on)";
	}
}

/*
 * Whether a vector's attackers exist here: guests need a hypervisor (KVM's
 * /dev/kvm), cross-thread attacks SMT siblings. 1 yes, 0 no, -1 unknown;
 * why says what showed it.
 */
static int attackers_present(enum attack_vector v, const struct audit_inputs *in,
			     const char **why)
{
	const struct exposure_facts *e = in->exposure;

	*why = "";
	if (v == AV_GUEST_HOST || v == AV_GUEST_GUEST) {
		/* /dev/kvm, not the config: KVM built in may fail to start (no VMX/SVM) */
		if (!e)
			return -1;
		if (!e->kvm_err) {
			*why = "/dev/kvm exists: this kernel can run guests";
			return 1;
		}
		if (e->kvm_err == ENOENT) {
			*why = "no /dev/kvm: this kernel runs no guests (check again if KVM"
			       " is loaded later)";
			return 0;
		}
		return -1;
	}
	if (v == AV_CROSS_THREAD) {
		if (!e || e->smt_active < 0)
			return -1;
		*why = e->smt_active ? "SMT is active" : "SMT is not active: no sibling to"
			" attack from (check again if SMT is turned on)";
		return e->smt_active;
	}
	return 1;
}

static void vector_finding(struct audit *a, const struct audit_inputs *in,
			   enum attack_vector v, const char *by)
{
	const char *why;
	int present = attackers_present(v, in, &why);
	enum audit_result r = present == 0 ? AUDIT_PASS : present < 0 ? AUDIT_UNKNOWN :
			      v == AV_USER_KERNEL ? AUDIT_FAIL : AUDIT_WARN;

	audit_add(a, AREA, attack_vector_option(v), r, why_mitigations, "%s (%s)%s%s",
		  vector_facts[v].gives_up, by, why[0] ? "; " : "", why);
	audit_remedy(a, "%s%s", vector_facts[v].remedy, remedy_edit);
}

void audit_mitigations(struct audit *a, const struct audit_inputs *in)
{
	struct mitigations_arg m;
	int off = 0;

	mitigations_arg_parse(in->d->cmdline, &m);
	if (!m.given) {
		audit_add(a, AREA, "mitigations", AUDIT_PASS, why_mitigations,
			  "absent in /proc/cmdline: the default, %s", global_meaning(&m));
		return;
	}
	for (int v = 0; v < AV_NR; v++)
		off += m.turned_off[v] && m.global != MITIGATIONS_OFF;
	audit_add(a, AREA, "mitigations", m.global == MITIGATIONS_OFF ? AUDIT_FAIL : AUDIT_PASS,
		  why_mitigations, "mitigations=%s in /proc/cmdline: %s%s%s", m.value,
		  m.global_named ? "" : "no global option, so ", global_meaning(&m),
		  off ? "; then attack vectors turned off, each judged below (kernels without"
		  " attack-vector controls reject the whole value and keep auto)" : "");
	audit_remedy(a, "Drop mitigations=off; if some attack vectors cannot reach this host,"
		     " name only those: mitigations=auto,no_guest_host for one that runs no"
		     " guests.%s", remedy_edit);
	for (int v = 0; v < AV_NR; v++)
		if (m.turned_off[v] && m.global != MITIGATIONS_OFF)
			vector_finding(a, in, v, "turned off by mitigations=");
	if (m.rejected[0]) {
		audit_add(a, AREA, "mitigations-rejected", AUDIT_WARN, why_mitigations,
			  "the kernel rejects '%s' in mitigations=%s and ignores it and what"
			  " follows (its boot log says 'Unsupported mitigations'); the system may"
			  " be less or more mitigated than written", m.rejected, m.value);
		audit_remedy(a, "Write mitigations= as the kernel reads it: off, auto or"
			     " auto,nosmt, then any of ,no_user_kernel ,no_user_user"
			     " ,no_guest_host ,no_guest_guest ,no_cross_thread.%s", remedy_edit);
	}
}
