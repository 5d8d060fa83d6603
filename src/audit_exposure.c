// SPDX-License-Identifier: GPL-2.0
/* kvas audit: what an unprivileged process on this host can learn, and why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit_checks.h"
#include "procfs.h"
#include "unpriv.h"
#include "x86_layout.h"

#define AREA "Unprivileged view"

static const char *const sysctl_names[] = {
	"kptr_restrict", "dmesg_restrict", "perf_event_paranoid",
	"unprivileged_bpf_disabled", "kexec_load_disabled",
};
#define NR_SYSCTLS (sizeof(sysctl_names) / sizeof(sysctl_names[0]))
/* The value at or above which each setting is the careful one. */
static const long sysctl_safe[NR_SYSCTLS] = { 1, 1, 2, 1, 1 };

static long sysctl_value(const char *name)
{
	char path[96], buf[32];

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	if (read_small_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

/* Does /sys/kernel/notes hold a kernel-image address (as Xen's notes did)? */
static bool notes_leak(uint64_t *addr)
{
	FILE *f = fopen("/sys/kernel/notes", "re");
	unsigned char buf[4096];
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (size_t i = 0; i + 8 <= n; i += 4) {
		uint64_t v;

		memcpy(&v, buf + i, 8);
		if (v >= START_KERNEL_MAP && v < MODULES_END) {
			*addr = v;
			return true;
		}
	}
	return false;
}

static const char *seen(const struct unpriv_view *v, enum unpriv_probe p, char *buf, size_t len)
{
	if (v->open[p])
		return "allowed";
	snprintf(buf, len, "refused (%s)", v->err[p] ? strerror(v->err[p]) : "nothing shown");
	return buf;
}

void audit_exposure(struct audit *a, const struct audit_inputs *in)
{
	struct unpriv_view v;
	long val[NR_SYSCTLS];
	char settings[240], weak[160] = "", b[80], notes[80] = "no kernel address in it";
	size_t n = 0, w = 0;
	uint64_t leak = 0;
	bool leaks;

	for (size_t i = 0; i < NR_SYSCTLS; i++) {
		val[i] = sysctl_value(sysctl_names[i]);
		n += snprintf(settings + n, sizeof(settings) - n, "%s%s=%ld", i ? " " : "",
			      sysctl_names[i], val[i]);
		if (val[i] >= 0 && val[i] < sysctl_safe[i])
			w += snprintf(weak + w, sizeof(weak) - w, "%s%s", w ? ", " : "",
				      sysctl_names[i]);
	}
	if (unpriv_probe(in->uid, in->gid, &v)) {
		audit_add(a, AREA, "unprivileged-probe", AUDIT_UNKNOWN,
			  "could not run a child as uid %u (kvas needs root to switch users); %s",
			  (unsigned)in->uid, settings);
		return;
	}
	audit_add(a, AREA, "kallsyms", v.open[UP_KALLSYMS_ADDRS] ? AUDIT_FAIL : AUDIT_PASS,
		  "uid %u %s kernel addresses in /proc/kallsyms%s%s (kptr_restrict=%ld,"
		  " perf_event_paranoid=%ld)", (unsigned)in->uid,
		  v.open[UP_KALLSYMS_ADDRS] ? "sees" : "sees no",
		  v.err[UP_KALLSYMS_ADDRS] ? ": cannot open it, " : "",
		  v.err[UP_KALLSYMS_ADDRS] ? strerror(v.err[UP_KALLSYMS_ADDRS]) : "",
		  val[0], val[2]);
	audit_why(a, "One symbol address gives the text slide, and with it every kernel"
		  " address KASLR was hiding.");
	audit_add(a, AREA, "dmesg", v.open[UP_DMESG] ? AUDIT_WARN : AUDIT_PASS,
		  "reading the kernel log: %s (dmesg_restrict=%ld)",
		  seen(&v, UP_DMESG, b, sizeof(b)), val[1]);
	audit_why(a, "The kernel log carries addresses: oops dumps, some drivers' messages,"
		  " the memory layout printed at boot on older kernels.");
	audit_add(a, AREA, "vmcoreinfo", v.open[UP_VMCOREINFO] ? AUDIT_WARN : AUDIT_PASS,
		  "reading /sys/kernel/vmcoreinfo: %s", seen(&v, UP_VMCOREINFO, b, sizeof(b)));
	audit_why(a, "It gives the physical address of the VMCOREINFO note, which holds every"
		  " base and the text slide: one physical read primitive, or one direct-map"
		  " read at the right base, and KASLR is gone. The kernel makes it 0444.");
	audit_add(a, AREA, "kcore", v.open[UP_KCORE] ? AUDIT_FAIL : AUDIT_PASS,
		  "opening /proc/kcore: %s", seen(&v, UP_KCORE, b, sizeof(b)));
	audit_why(a, "/proc/kcore is all of kernel memory, with its layout in the ELF headers.");
	leaks = notes_leak(&leak);
	if (leaks)
		snprintf(notes, sizeof(notes), "it holds a kernel-image address (0x%llx)",
			 (unsigned long long)leak);
	audit_add(a, AREA, "kernel-notes", v.open[UP_NOTES] && leaks ? AUDIT_FAIL : AUDIT_PASS,
		  "reading /sys/kernel/notes: %s; %s", seen(&v, UP_NOTES, b, sizeof(b)), notes);
	audit_why(a, "The notes are world-readable; kernels with Xen PV notes put entry-point"
		  " addresses there.");
	audit_add(a, AREA, "perf", v.open[UP_PERF_KERNEL] ? AUDIT_FAIL : AUDIT_PASS,
		  "perf sampling that includes the kernel: %s (perf_event_paranoid=%ld)",
		  seen(&v, UP_PERF_KERNEL, b, sizeof(b)), val[2]);
	audit_why(a, "Kernel samples carry kernel instruction pointers, and timing through"
		  " perf helps side channels that find the kernel.");
	audit_add(a, AREA, "bpf", v.open[UP_BPF] ? AUDIT_FAIL : AUDIT_PASS,
		  "loading a BPF socket filter: %s (unprivileged_bpf_disabled=%ld)",
		  seen(&v, UP_BPF, b, sizeof(b)), val[3]);
	audit_why(a, "Unprivileged BPF is a large attack surface: flaws in its program checks"
		  " and JIT, and speculation gadgets, have leaked kernel memory.");
	audit_add(a, AREA, "settings", w ? AUDIT_WARN : AUDIT_PASS, "%s%s%s", settings,
		  w ? "; weaker than the careful value: " : "", weak);
	audit_why(a, "Careful values: kptr_restrict>=1, dmesg_restrict=1, perf_event_paranoid>=2,"
		  " unprivileged_bpf_disabled>=1, kexec_load_disabled=1 (no kexec: a"
		  " compromised root cannot swap the kernel for one without KASLR).");
}
