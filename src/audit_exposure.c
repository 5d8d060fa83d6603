// SPDX-License-Identifier: GPL-2.0
/* kvas audit: what an unprivileged process on this host can learn, and why. */
#include <stdlib.h>
#include <string.h>

#include "audit_checks.h"
#include "audit_notes.h"
#include "ksyms.h"
#include "procfs.h"
#include "unpriv.h"

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

#define NOTES_MAX	(64 * 1024)	/* a few hundred bytes in practice */
#define NOTE_ADDRS_MAX	16

/* What the boot shows to judge the notes' addresses by. */
static void notes_context_of(const struct discovery *d, struct notes_context *c)
{
	const struct resolved_value *slide = &d->layout.val[LF_TEXT_SLIDE];
	const struct iomem *io = &d->iomem;

	memset(c, 0, sizeof(*c));
	c->slide_known = slide->res == RES_CONFIRMED || slide->res == RES_SINGLE;
	c->slide = c->slide_known ? slide->value : 0;
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

static int kallsyms_load(struct ksyms *ks)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	int err;

	if (!f)
		return -1;
	err = ksyms_load(ks, f);
	fclose(f);
	return err;
}

/* Judge what /sys/kernel/notes holds, read as root; the evidence goes to text. */
static enum audit_result notes_content(const struct discovery *d, char *text, size_t len)
{
	unsigned char *buf = malloc(NOTES_MAX);
	struct note_addr addrs[NOTE_ADDRS_MAX];
	struct notes_context c;
	struct ksyms ks = { 0 };
	FILE *f = fopen("/sys/kernel/notes", "re");
	size_t n = 0;
	int found;

	if (buf && f)
		n = fread(buf, 1, NOTES_MAX, f);
	if (f)
		fclose(f);
	if (!n) {
		free(buf);
		snprintf(text, len, "root reads nothing from it");
		return AUDIT_UNKNOWN;
	}
	notes_context_of(d, &c);
	found = notes_judge(buf, n, &c, addrs, NOTE_ADDRS_MAX);
	/* a tie between the two images: the running kernel's symbols break it */
	if (c.slide && any_unclear(addrs, found) && !kallsyms_load(&ks)) {
		c.syms = &ks;
		found = notes_judge(buf, n, &c, addrs, NOTE_ADDRS_MAX);
	}
	free(buf);
	ksyms_free(&ks);
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

static void kernel_notes(struct audit *a, const struct unpriv_view *v,
			 const struct discovery *d)
{
	char content[480], b[80];
	enum audit_result r = notes_content(d, content, sizeof(content));

	audit_add(a, AREA, "kernel-notes", v->open[UP_NOTES] ? r : AUDIT_PASS,
		  "reading /sys/kernel/notes: %s; %s", seen(v, UP_NOTES, b, sizeof(b)), content);
	audit_why(a, "The notes are world-readable. Xen's hold kernel-image addresses: a"
		  " constant (VIRT_BASE is __START_KERNEL_map) or System.map's address reveals"
		  " nothing, but one the boot relocated (ENTRY, HYPERCALL_PAGE on kernels that"
		  " relocate .notes) gives away the text slide.");
}

void audit_exposure(struct audit *a, const struct audit_inputs *in)
{
	struct unpriv_view v;
	long val[NR_SYSCTLS];
	char settings[240], weak[160] = "", b[80];
	size_t n = 0, w = 0;

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
	kernel_notes(a, &v, in->d);
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
