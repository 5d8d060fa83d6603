// SPDX-License-Identifier: GPL-2.0
/* kvas audit: what an unprivileged process on this host can learn, and why. */
#include <stdlib.h>
#include <string.h>

#include "audit_checks.h"
#include "audit_notes.h"
#include "ksyms.h"

#define AREA "Unprivileged view"
#define NOTE_ADDRS_MAX	16

/* The value at or above which each setting is the careful one. */
static const long sysctl_safe[NR_SYSCTLS] = {
	[SYSCTL_KPTR_RESTRICT] = 1,
	[SYSCTL_DMESG_RESTRICT] = 1,
	[SYSCTL_PERF_EVENT_PARANOID] = 2,
	[SYSCTL_UNPRIVILEGED_BPF_DISABLED] = 1,
	[SYSCTL_KEXEC_LOAD_DISABLED] = 1,
};

/* What the boot shows to judge the notes' addresses by. */
static void notes_context_of(const struct discovery *d, struct notes_context *c)
{
	const struct iomem *io = &d->iomem;

	memset(c, 0, sizeof(*c));
	c->slide_known = layout_value_exact(&d->layout, LF_TEXT_SLIDE, &c->slide);
	c->start_kernel = discovery_start_kernel(d);
	if (io->kernel_code_found && io->kernel_bss_found &&
	    io->kernel_bss.end > io->kernel_code.start)
		c->image_size = io->kernel_bss.end + 1 - io->kernel_code.start;
}

static bool any_unclear(const struct note_addr *addrs, int n)
{
	for (int i = 0; i < n; i++)
		if (addrs[i].kind == NOTE_UNCLEAR)
			return true;
	return false;
}

/* Judge what /sys/kernel/notes holds, read as root; the evidence goes to text. */
static enum audit_result notes_content(const struct audit_inputs *in, char *text, size_t len)
{
	const struct exposure_facts *e = in->exposure;
	struct note_addr addrs[NOTE_ADDRS_MAX];
	struct notes_context c;
	int found;

	if (!e->notes_len) {
		snprintf(text, len, "root reads nothing from it");
		return AUDIT_UNKNOWN;
	}
	notes_context_of(in->d, &c);
	found = notes_judge(e->notes, e->notes_len, &c, addrs, NOTE_ADDRS_MAX);
	/* a tie between the two images: the running kernel's symbols break it */
	if (c.slide && any_unclear(addrs, found) && in->ksyms) {
		c.syms = in->ksyms;
		found = notes_judge(e->notes, e->notes_len, &c, addrs, NOTE_ADDRS_MAX);
	}
	if (found < 0) {
		snprintf(text, len, "what root reads is no well-formed ELF note section");
		return AUDIT_UNKNOWN;
	}
	return notes_describe(addrs, found, text, len);
}

static const char *seen(const struct unpriv_view *v, enum unpriv_probe p, char *buf, size_t len)
{
	if (v->open[p])
		return "allowed";
	snprintf(buf, len, "refused (%s)", v->err[p] ? strerror(v->err[p]) : "nothing shown");
	return buf;
}

static void kernel_notes(struct audit *a, const struct audit_inputs *in)
{
	const struct unpriv_view *v = &in->exposure->unpriv;
	char content[480], b[80];
	enum audit_result r = notes_content(in, content, sizeof(content));

	audit_add(a, AREA, "kernel-notes", v->open[UP_NOTES] ? r : AUDIT_PASS,
		  "The notes are world-readable. Xen's hold kernel-image addresses: a"
		  " constant (VIRT_BASE is __START_KERNEL_map) or System.map's address reveals"
		  " nothing, but one the boot relocated (ENTRY, HYPERCALL_PAGE on kernels that"
		  " relocate .notes) gives away the text slide.",
		  "reading /sys/kernel/notes: %s; %s", seen(v, UP_NOTES, b, sizeof(b)), content);
}

/* "kptr_restrict=1 dmesg_restrict=0 ...", and the settings below the careful value. */
static void settings_of(const struct exposure_facts *e, char *all, size_t len,
			char *weak, size_t wlen)
{
	size_t n = 0, w = 0;

	weak[0] = '\0';
	for (int i = 0; i < NR_SYSCTLS; i++) {
		long v = e->sysctl[i].value;

		n += snprintf(all + n, n < len ? len - n : 0, "%s%s=%ld", i ? " " : "",
			      e->sysctl[i].name, v);
		if (v >= 0 && v < sysctl_safe[i])
			w += snprintf(weak + w, w < wlen ? wlen - w : 0, "%s%s", w ? ", " : "",
				      e->sysctl[i].name);
	}
}

/* Each thing the unprivileged child tried, judged. */
static void unpriv_findings(struct audit *a, const struct audit_inputs *in)
{
	const struct exposure_facts *e = in->exposure;
	const struct unpriv_view *v = &e->unpriv;
	long kptr = e->sysctl[SYSCTL_KPTR_RESTRICT].value;
	long paranoid = e->sysctl[SYSCTL_PERF_EVENT_PARANOID].value;
	int kerr = v->err[UP_KALLSYMS_ADDRS];
	char b[80];

	audit_add(a, AREA, "kallsyms", v->open[UP_KALLSYMS_ADDRS] ? AUDIT_FAIL : AUDIT_PASS,
		  "One symbol address gives the text slide, and with it every kernel address"
		  " KASLR was hiding.",
		  "uid %u %s kernel addresses in /proc/kallsyms%s%s (kptr_restrict=%ld,"
		  " perf_event_paranoid=%ld)", (unsigned)e->uid,
		  v->open[UP_KALLSYMS_ADDRS] ? "sees" : "sees no",
		  kerr ? ": cannot open it, " : "", kerr ? strerror(kerr) : "", kptr, paranoid);
	audit_add(a, AREA, "dmesg", v->open[UP_DMESG] ? AUDIT_WARN : AUDIT_PASS,
		  "The kernel log carries addresses: oops dumps, some drivers' messages, the"
		  " memory layout printed at boot on older kernels.",
		  "reading the kernel log: %s (dmesg_restrict=%ld)",
		  seen(v, UP_DMESG, b, sizeof(b)), e->sysctl[SYSCTL_DMESG_RESTRICT].value);
	audit_add(a, AREA, "vmcoreinfo", v->open[UP_VMCOREINFO] ? AUDIT_WARN : AUDIT_PASS,
		  "It gives the physical address of the VMCOREINFO note, which holds every base"
		  " and the text slide: one physical read primitive, or one direct-map read at"
		  " the right base, and KASLR is gone. The kernel makes it 0444.",
		  "reading /sys/kernel/vmcoreinfo: %s", seen(v, UP_VMCOREINFO, b, sizeof(b)));
	audit_add(a, AREA, "kcore", v->open[UP_KCORE] ? AUDIT_FAIL : AUDIT_PASS,
		  "/proc/kcore is all of kernel memory, with its layout in the ELF headers.",
		  "opening /proc/kcore: %s", seen(v, UP_KCORE, b, sizeof(b)));
	kernel_notes(a, in);
	audit_add(a, AREA, "perf", v->open[UP_PERF_KERNEL] ? AUDIT_FAIL : AUDIT_PASS,
		  "Kernel samples carry kernel instruction pointers, and timing through perf"
		  " helps side channels that find the kernel.",
		  "perf sampling that includes the kernel: %s (perf_event_paranoid=%ld)",
		  seen(v, UP_PERF_KERNEL, b, sizeof(b)), paranoid);
	audit_add(a, AREA, "bpf", v->open[UP_BPF] ? AUDIT_FAIL : AUDIT_PASS,
		  "Unprivileged BPF is a large attack surface: flaws in its program checks and"
		  " JIT, and speculation gadgets, have leaked kernel memory.",
		  "loading a BPF socket filter: %s (unprivileged_bpf_disabled=%ld)",
		  seen(v, UP_BPF, b, sizeof(b)),
		  e->sysctl[SYSCTL_UNPRIVILEGED_BPF_DISABLED].value);
}

void audit_exposure(struct audit *a, const struct audit_inputs *in)
{
	const struct exposure_facts *e = in->exposure;
	char settings[240], weak[160];

	settings_of(e, settings, sizeof(settings), weak, sizeof(weak));
	if (e->unpriv_err) {
		audit_add(a, AREA, "unprivileged-probe", AUDIT_UNKNOWN, NULL,
			  "could not run a child as uid %u (kvas needs root to switch users); %s",
			  (unsigned)e->uid, settings);
		return;
	}
	unpriv_findings(a, in);
	audit_add(a, AREA, "settings", weak[0] ? AUDIT_WARN : AUDIT_PASS,
		  "Careful values: kptr_restrict>=1, dmesg_restrict=1, perf_event_paranoid>=2,"
		  " unprivileged_bpf_disabled>=1, kexec_load_disabled=1 (no kexec: a"
		  " compromised root cannot swap the kernel for one without KASLR).",
		  "%s%s%s", settings, weak[0] ? "; weaker than the careful value: " : "", weak);
}
