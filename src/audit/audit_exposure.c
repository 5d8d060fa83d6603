// SPDX-License-Identifier: GPL-2.0
/* kvas audit: what an unprivileged process on this host can learn, and why. */
#include <errno.h>
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

	if (e->notes_err == ENOENT) {
		snprintf(text, len, "the kernel has no /sys/kernel/notes: nothing to read");
		return AUDIT_PASS;
	}
	if (e->notes_err) {
		snprintf(text, len, "root cannot read it either (%s)", strerror(e->notes_err));
		return AUDIT_UNKNOWN;
	}
	if (!e->notes_len) {
		snprintf(text, len, "root reads nothing from it: no note, no address");
		return AUDIT_PASS;
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
	audit_remedy(a, "Nothing unprivileged needs the notes: chmod 0400 /sys/kernel/notes at"
		     " every boot (a systemd unit or udev rule); or run a kernel that does not"
		     " relocate the Xen notes' addresses (one built without CONFIG_XEN, where the"
		     " host is no Xen guest).");
}

/*
 * What an absent sysctl means: the kernel is built without what it guards
 * (NULL: without it nothing is restricted, and the probes above say what
 * an unprivileged process sees).
 */
static const char *const sysctl_absent_means[NR_SYSCTLS] = {
	[SYSCTL_DMESG_RESTRICT] = "no kernel log to restrict (CONFIG_PRINTK off)",
	[SYSCTL_PERF_EVENT_PARANOID] = "no perf events to restrict (CONFIG_PERF_EVENTS off)",
	[SYSCTL_UNPRIVILEGED_BPF_DISABLED] = "no bpf(2) to restrict (CONFIG_BPF_SYSCALL off)",
	[SYSCTL_KEXEC_LOAD_DISABLED] = "no kexec_load in this kernel: nothing to disable",
};

/* "kptr_restrict=1", "kexec_load_disabled absent (...)", "x unreadable (...)". */
static const char *sysctl_text(const struct exposure_facts *e, int i, char *buf, size_t len)
{
	int err = e->sysctl[i].err;

	if (!err)
		snprintf(buf, len, "%s=%ld", e->sysctl[i].name, e->sysctl[i].value);
	else if (err == ENOENT)
		snprintf(buf, len, "%s absent (%s)", e->sysctl[i].name,
			 sysctl_absent_means[i] ? sysctl_absent_means[i] :
			 "the kernel cannot set it");
	else
		snprintf(buf, len, "%s unreadable (%s)", e->sysctl[i].name, strerror(err));
	return buf;
}

/* Where a sysctl stands against its careful value. */
enum sysctl_standing { SYSCTL_CAREFUL, SYSCTL_WEAK, SYSCTL_UNJUDGED };

static enum sysctl_standing sysctl_standing_of(const struct exposure_facts *e, int i)
{
	if (!e->sysctl[i].err)
		return e->sysctl[i].value >= sysctl_safe[i] ? SYSCTL_CAREFUL : SYSCTL_WEAK;
	/* absent with what it guards: nothing to restrict */
	if (e->sysctl[i].err == ENOENT && sysctl_absent_means[i])
		return SYSCTL_CAREFUL;
	return SYSCTL_UNJUDGED;
}

/* Every setting as it stands, the weak ones listed apart; the worst standing. */
static enum sysctl_standing settings_of(const struct exposure_facts *e, char *all, size_t len,
					char *weak, size_t wlen)
{
	enum sysctl_standing worst = SYSCTL_CAREFUL;
	size_t n = 0, w = 0;

	weak[0] = '\0';
	for (int i = 0; i < NR_SYSCTLS; i++) {
		enum sysctl_standing st = sysctl_standing_of(e, i);
		char one[160];

		n += snprintf(all + n, n < len ? len - n : 0, "%s%s", i ? " " : "",
			      sysctl_text(e, i, one, sizeof(one)));
		if (st == SYSCTL_WEAK)
			w += snprintf(weak + w, w < wlen ? wlen - w : 0, "%s%s", w ? ", " : "",
				      e->sysctl[i].name);
		if (st == SYSCTL_WEAK || (st == SYSCTL_UNJUDGED && worst == SYSCTL_CAREFUL))
			worst = st;
	}
	return worst;
}

/* Each thing the unprivileged child tried, judged. */
static void unpriv_findings(struct audit *a, const struct audit_inputs *in)
{
	const struct exposure_facts *e = in->exposure;
	const struct unpriv_view *v = &e->unpriv;
	int kerr = v->err[UP_KALLSYMS_ADDRS];
	char b[80], kptr[120], paranoid[120], dmesg[120], bpf[120];

	sysctl_text(e, SYSCTL_KPTR_RESTRICT, kptr, sizeof(kptr));
	sysctl_text(e, SYSCTL_PERF_EVENT_PARANOID, paranoid, sizeof(paranoid));
	sysctl_text(e, SYSCTL_DMESG_RESTRICT, dmesg, sizeof(dmesg));
	sysctl_text(e, SYSCTL_UNPRIVILEGED_BPF_DISABLED, bpf, sizeof(bpf));
	audit_add(a, AREA, "kallsyms", v->open[UP_KALLSYMS_ADDRS] ? AUDIT_FAIL : AUDIT_PASS,
		  "One symbol address gives the text slide, and with it every kernel address"
		  " KASLR was hiding.",
		  "uid %u %s kernel addresses in /proc/kallsyms%s%s (%s, %s)", (unsigned)e->uid,
		  v->open[UP_KALLSYMS_ADDRS] ? "sees" : "sees no",
		  kerr ? ": cannot open it, " : "", kerr ? strerror(kerr) : "", kptr, paranoid);
	audit_remedy(a, "Set kernel.kptr_restrict=1 (2 hides the addresses from root too):"
		     " sysctl -w kernel.kptr_restrict=1, and a file in /etc/sysctl.d/ to keep it.");
	audit_add(a, AREA, "dmesg", v->open[UP_DMESG] ? AUDIT_WARN : AUDIT_PASS,
		  "The kernel log carries addresses: oops dumps, some drivers' messages, the"
		  " memory layout printed at boot on older kernels.",
		  "reading the kernel log: %s (%s)", seen(v, UP_DMESG, b, sizeof(b)), dmesg);
	audit_remedy(a, "Set kernel.dmesg_restrict=1: sysctl -w kernel.dmesg_restrict=1, and a"
		     " file in /etc/sysctl.d/ to keep it (or build with"
		     " CONFIG_SECURITY_DMESG_RESTRICT=y).");
	audit_add(a, AREA, "vmcoreinfo", v->open[UP_VMCOREINFO] ? AUDIT_WARN : AUDIT_PASS,
		  "It gives the physical address of the VMCOREINFO note, which holds every base"
		  " and the text slide: one physical read primitive, or one direct-map read at"
		  " the right base, and KASLR is gone. The kernel makes it 0444.",
		  "reading /sys/kernel/vmcoreinfo: %s", seen(v, UP_VMCOREINFO, b, sizeof(b)));
	audit_remedy(a, "Nothing unprivileged needs it: chmod 0400 /sys/kernel/vmcoreinfo at"
		     " every boot (a systemd unit or udev rule; kdump runs as root).");
	audit_add(a, AREA, "kcore", v->open[UP_KCORE] ? AUDIT_FAIL : AUDIT_PASS,
		  "/proc/kcore is all of kernel memory, with its layout in the ELF headers.",
		  "opening /proc/kcore: %s", seen(v, UP_KCORE, b, sizeof(b)));
	audit_remedy(a, "The kernel makes it 0400 root: find what changed its mode or gave the"
		     " user CAP_SYS_RAWIO, and undo it; or build without CONFIG_PROC_KCORE.");
	kernel_notes(a, in);
	audit_add(a, AREA, "perf", v->open[UP_PERF_KERNEL] ? AUDIT_FAIL : AUDIT_PASS,
		  "Kernel samples carry kernel instruction pointers, and timing through perf"
		  " helps side channels that find the kernel.",
		  "perf sampling that includes the kernel: %s (%s)",
		  seen(v, UP_PERF_KERNEL, b, sizeof(b)), paranoid);
	audit_remedy(a, "Set kernel.perf_event_paranoid=2 or higher: sysctl -w"
		     " kernel.perf_event_paranoid=2, and a file in /etc/sysctl.d/ to keep it;"
		     " give perf users CAP_PERFMON instead.");
	audit_add(a, AREA, "bpf", v->open[UP_BPF] ? AUDIT_FAIL : AUDIT_PASS,
		  "Unprivileged BPF is a large attack surface: flaws in its program checks and"
		  " JIT, and speculation gadgets, have leaked kernel memory.",
		  "loading a BPF socket filter: %s (%s)", seen(v, UP_BPF, b, sizeof(b)), bpf);
	audit_remedy(a, "Set kernel.unprivileged_bpf_disabled=2 (root may lift it again) or 1"
		     " (for good, until a reboot): sysctl -w kernel.unprivileged_bpf_disabled=2,"
		     " and a file in /etc/sysctl.d/ to keep it.");
}

void audit_exposure(struct audit *a, const struct audit_inputs *in)
{
	const struct exposure_facts *e = in->exposure;
	char settings[600], weak[160];
	enum sysctl_standing worst;

	worst = settings_of(e, settings, sizeof(settings), weak, sizeof(weak));
	if (e->unpriv_err) {
		audit_add(a, AREA, "unprivileged-probe", AUDIT_UNKNOWN, NULL,
			  "could not run a child as uid %u (kvas needs root to switch users); %s",
			  (unsigned)e->uid, settings);
		return;
	}
	unpriv_findings(a, in);
	audit_add(a, AREA, "settings", worst == SYSCTL_WEAK ? AUDIT_WARN :
		  worst == SYSCTL_UNJUDGED ? AUDIT_UNKNOWN : AUDIT_PASS,
		  "Careful values: kptr_restrict>=1, dmesg_restrict=1, perf_event_paranoid>=2,"
		  " unprivileged_bpf_disabled>=1, kexec_load_disabled=1 (no kexec: a"
		  " compromised root cannot swap the kernel for one without KASLR). A sysctl"
		  " the kernel does not have guards something it is built without.",
		  "%s%s%s", settings, weak[0] ? "; weaker than the careful value: " : "", weak);
	audit_remedy(a, "Raise each one named to its careful value with sysctl -w kernel.NAME=VALUE,"
		     " and keep it in a file in /etc/sysctl.d/; kexec_load_disabled=1 holds until"
		     " the next boot, so set it after any kexec-based crash kernel is loaded.");
}
