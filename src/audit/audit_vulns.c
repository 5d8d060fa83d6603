// SPDX-License-Identifier: GPL-2.0
/*
 * kvas audit: the CPU bugs the kernel reports in
 * /sys/devices/system/cpu/vulnerabilities, each with its own cause and what
 * to do, from the kernel's words in its file (Documentation/admin-guide/hw-vuln).
 */
#include <string.h>

#include "audit_checks.h"

#define AREA "CPU vulnerabilities"

struct cpu_bug {
	const char *file;	/* its name in the vulnerabilities directory */
	const char *cause;	/* what it lets an attacker read: the finding's why */
	const char *option;	/* the boot option that turns its mitigation on */
};

static const struct cpu_bug cpu_bugs[] = {
	{ "gather_data_sampling", "GDS (Downfall): AVX gather instructions forward stale vector-register data, another process's or the kernel's.", "gather_data_sampling=force (turns AVX off where the microcode lacks the fix)" },
	{ "ghostwrite", "GhostWrite (RISC-V T-Head): vector stores write physical memory directly, past the page tables.", "nothing on the command line: the kernel turns the vendor vector extension off" },
	{ "indirect_target_selection", "ITS: indirect branches predicted from the wrong target let user space or a guest steer the kernel's speculation.", "indirect_target_selection=on" },
	{ "itlb_multihit", "iTLB multihit: a guest changing a page's size makes the CPU take a machine check, taking the host down.", "kvm.nx_huge_pages=force" },
	{ "l1tf", "L1TF (Foreshadow): a not-present page-table entry lets speculation read the L1 cache, the kernel's or another guest's data.", "l1tf=full,force" },
	{ "mds", "MDS (RIDL, Fallout, ZombieLoad): CPU buffers hand data of the kernel or of the SMT sibling to a user process.", "mds=full (mds=full,nosmt also turns SMT off)" },
	{ "meltdown", "Meltdown: a user process reads kernel memory through speculation; PTI unmaps the kernel from user page tables.", "pti=on (and no nopti)" },
	{ "mmio_stale_data", "MMIO stale data: device-register reads return stale CPU-buffer data of other contexts.", "mmio_stale_data=full" },
	{ "old_microcode", "The CPU runs microcode older than the release the kernel knows to fix its bugs: its other mitigations may lack the instructions they need.", "none: only newer microcode fixes it" },
	{ "reg_file_data_sampling", "RFDS: register files of Atom cores forward stale data of other contexts.", "reg_file_data_sampling=on" },
	{ "retbleed", "Retbleed: return instructions predicted like indirect branches let user space steer kernel speculation and leak its memory.", "retbleed=auto (retbleed=auto,nosmt also turns SMT off)" },
	{ "spec_rstack_overflow", "SRSO (Inception): a poisoned return-address predictor on AMD Zen lets user space or a guest read kernel memory.", "spec_rstack_overflow=safe-ret (or =ibpb)" },
	{ "spec_store_bypass", "Speculative Store Bypass (Spectre v4): loads run ahead of older stores and read stale data, within a process and across sandboxes such as JITs.", "spec_store_bypass_disable=prctl (processes opt in with prctl(PR_SET_SPECULATION_CTRL); seccomp ones are covered with =seccomp) or =on" },
	{ "spectre_v1", "Spectre v1: bounds checks bypassed in speculation read memory past them, in the kernel through system calls.", "no nospectre_v1" },
	{ "spectre_v2", "Spectre v2: a poisoned branch-target predictor steers indirect branches of the kernel or of other processes.", "spectre_v2=on (spectre_v2_user=on for processes against each other)" },
	{ "srbds", "SRBDS: RDRAND and RDSEED results leak to other cores.", "none: the mitigation is microcode, on unless srbds=off" },
	{ "tsa", "TSA (Transient Scheduler Attacks, AMD): stale data of the kernel, another process or a guest leaks through CPU timing.", "tsa=on" },
	{ "tsx_async_abort", "TAA: an aborted TSX transaction forwards CPU-buffer data of other contexts.", "tsx_async_abort=full (or tsx=off)" },
	{ "vmscape", "VMSCAPE: a guest poisons the branch predictor that the host's user-space VMM (QEMU) then runs with.", "vmscape=ibpb" },
};

static const struct cpu_bug *cpu_bug_of(const char *file)
{
	for (size_t i = 0; i < sizeof(cpu_bugs) / sizeof(cpu_bugs[0]); i++)
		if (!strcmp(cpu_bugs[i].file, file))
			return &cpu_bugs[i];
	return NULL;
}

static bool says(const char *text, const char *words)
{
	return strcasestr(text, words) != NULL;
}

/* What to do, from what the kernel says is missing: microcode, the option, SMT. */
static void vuln_remedy(struct audit *a, const struct cpu_bug *b, const char *file,
			const char *text)
{
	bool microcode = says(text, "microcode");
	bool smt = says(text, "SMT vulnerable") || says(text, "SMT Host state unknown");

	audit_remedy(a, "%s%s%s%s%s",
		     microcode ? "Update the CPU microcode (the amd64-microcode or"
		     " intel-microcode package, or the firmware; in a guest, the host's"
		     " microcode and the CPU features its hypervisor passes through). " : "",
		     microcode ? "Then, if it stays vulnerable: " : "",
		     b ? "boot with " : "see Documentation/admin-guide/hw-vuln/ for ",
		     b ? b->option : file,
		     "; remove mitigations=off, an =off for this bug, or the attack-vector"
		     " control that turned it off (a bug's own option wins over them).");
	if (smt) {
		size_t n = strlen(a->f[a->n - 1].remedy);

		snprintf(a->f[a->n - 1].remedy + n, sizeof(a->f[a->n - 1].remedy) - n,
			 " SMT siblings stay exposed: boot with nosmt (or mitigations=auto,nosmt),"
			 " or keep untrusted tenants off each other's sibling threads (core"
			 " scheduling, cpusets).");
	}
}

void audit_vulnerabilities(struct audit *a, const struct audit_inputs *in)
{
	const struct exposure_facts *e = in->exposure;

	if (e->nr_vulns < 0) {
		audit_add(a, AREA, "all", AUDIT_UNKNOWN, NULL, "%s unreadable", e->vulns_dir);
		return;
	}
	for (int i = 0; i < e->nr_vulns; i++) {
		const char *text = e->vulns[i].text;
		const struct cpu_bug *b = cpu_bug_of(e->vulns[i].name);
		enum audit_result r = AUDIT_UNKNOWN;

		if (!strncmp(text, "Not affected", 12) || !strncmp(text, "Mitigation", 10))
			r = AUDIT_PASS;
		else if (!strncmp(text, "Vulnerable", 10))
			r = AUDIT_FAIL;
		audit_add(a, AREA, e->vulns[i].name, r, b ? b->cause :
			  "A CPU bug this kvas has no words for: the kernel's file names it.",
			  "%s", text);
		vuln_remedy(a, b, e->vulns[i].name, text);
	}
}
