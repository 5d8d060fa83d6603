// SPDX-License-Identifier: GPL-2.0
/*
 * What the host says of its remote TLB flushes: CPUID, the kernel's own
 * pv_ops and x86_hyper_type (read through BTF and kread where kallsyms
 * names them), its boot log, and the TLB line of /proc/interrupts.
 */
#include <cpuid.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "flush_probe.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "kread.h"
#include "procfs.h"
#include "procfs_read.h"
#include "remote_flush_host.h"

#define KVM_FEATURE_STEAL_TIME		5
#define KVM_FEATURE_PV_TLB_FLUSH	9
#define KVM_HINTS_REALTIME		0

static void read_cpuid(struct remote_flush_host *h)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return;
	h->cpu_hypervisor = true;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(h->cpuid_vendor, &b, 4);
	memcpy(h->cpuid_vendor + 4, &c, 4);
	memcpy(h->cpuid_vendor + 8, &d, 4);
	h->cpuid_vendor[12] = '\0';
	for (int i = 0; h->cpuid_vendor[i]; i++)
		if (!isprint((unsigned char)h->cpuid_vendor[i]))
			h->cpuid_vendor[i] = '?';
	if (!strcmp(h->cpuid_vendor, "KVMKVMKVM") && a >= 0x40000001) {
		/* as the kernel's pv_tlb_flush_supported() decides */
		__cpuid(0x40000001, a, b, c, d);
		h->kvm_pv_tlb_flush = (a & (1u << KVM_FEATURE_PV_TLB_FLUSH)) &&
				      (a & (1u << KVM_FEATURE_STEAL_TIME)) &&
				      !(d & (1u << KVM_HINTS_REALTIME)) && h->cpus > 1;
	}
}

struct kernel_symbols {
	uint64_t pv_ops, x86_hyper_type;
	bool broadcast_tlb_flush;
};

/*
 * One pass over kallsyms: the data symbols (there only with KALLSYMS_ALL)
 * and every hypervisor's flush function, which distribution kernels carry
 * on bare metal too: support at most.
 */
static void scan_kallsyms(struct remote_flush_host *h, struct kernel_symbols *ks)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[256], name[128], type;
	uint64_t addr;
	size_t n = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t len;

		if (!kallsyms_line(line, &addr, &type, name, sizeof(name)) || strchr(line, '['))
			continue;
		if (!strcmp(name, "pv_ops"))
			ks->pv_ops = addr;
		else if (!strcmp(name, "x86_hyper_type"))
			ks->x86_hyper_type = addr;
		else if (!strcmp(name, "broadcast_tlb_flush"))
			ks->broadcast_tlb_flush = true;
		len = strlen(name);
		/* the functions, not their tracepoints' helpers (…_mmu_flush_tlb_multi) */
		if (len > 16 && !strcmp(name + len - 16, "_flush_tlb_multi") && name[0] != '_' &&
		    !strstr(name, "mmu_flush") && strcmp(name, "native_flush_tlb_multi") &&
		    len + 2 < sizeof(h->pv_symbols) - n)
			n += snprintf(h->pv_symbols + n, sizeof(h->pv_symbols) - n, "%s%s",
				      n ? " " : "", name);
	}
	fclose(f);
}

static void name_hyper_type(const char *enumerator, int64_t value, void *arg)
{
	struct { int64_t want; char *out; } *q = arg;

	if (value == q->want) {
		const char *n = strncmp(enumerator, "X86_HYPER_", 10) ? enumerator : enumerator + 10;

		snprintf(q->out, 32, "%s", n);
	}
}

/* What the kernel itself set: its pv_ops flush entry and its hypervisor type. */
static void read_kernel_view(struct remote_flush_host *h, const struct kernel_symbols *ks)
{
	struct kread *kr;
	uint32_t off;
	uint64_t fn;

	if (!ks->pv_ops && !ks->x86_hyper_type)
		return;
	kr = kread_open();
	if (!kr)
		return;
	if (ks->pv_ops && kernel_field_offset("paravirt_patch_template", "mmu.flush_tlb_multi", &off) &&
	    !kread_u64(kr, ks->pv_ops + off, &fn)) {
		struct ksyms syms;
		char buf[96];

		if (!kallsyms_read(&syms)) {
			const char *name = ksyms_name(&syms, fn, buf, sizeof(buf));

			if (name)
				snprintf(h->pv_flush, sizeof(h->pv_flush), "%.*s",
					 (int)strcspn(name, "+"), name);
			ksyms_free(&syms);
		}
	}
	if (ks->x86_hyper_type) {
		uint32_t type;
		struct { int64_t want; char *out; } q = { 0, h->hyper_type };

		if (!kread_bytes(kr, ks->x86_hyper_type, &type, sizeof(type))) {
			q.want = type;
			if (!kernel_enum_each("x86_hypervisor_type", name_hyper_type, &q))
				snprintf(h->hyper_type, sizeof(h->hyper_type), "%u", type);
		}
	}
	kread_close(kr);
}

/* The kernel log's line on how remote flushes go, while the log still holds it. */
static void read_boot_line(struct remote_flush_host *h)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *line;
	int n;

	if (size <= 0 || !(buf = malloc(size + 1)))
		return;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	buf[n > 0 ? n : 0] = '\0';
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		const char *text = line;

		if (!strcasestr(line, "remote TLB flush"))
			continue;
		/* "<6>[    0.000253] pvm-pv: ..." */
		if (*text == '<')
			text = strchr(text, '>') ? strchr(text, '>') + 1 : text;
		if (*text == '[')
			text = strchr(text, ']') ? strchr(text, ']') + 1 : text;
		text += strspn(text, " ");
		snprintf(h->boot_line, sizeof(h->boot_line), "%s", text);
		break;
	}
	free(buf);
}

static bool cpu_has_flag(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = line;

		if (strncmp(line, "flags", 5))
			continue;
		while ((p = strstr(p, flag))) {
			size_t len = strlen(flag);

			if (p[-1] == ' ' && (p[len] == ' ' || p[len] == '\n')) {
				found = true;
				break;
			}
			p += len;
		}
		break;
	}
	fclose(f);
	return found;
}

/* kvas's own requests to a CPU that runs the mm, and the TLB interrupts meanwhile. */
static void run_probe(struct remote_flush_probe *p)
{
	uint64_t before, after;

	p->interrupts_known = tlb_interrupts_read(&before);
	p->ran = !flush_probe_run(FLUSH_PROBE_ROUNDS);
	p->rounds = FLUSH_PROBE_ROUNDS;
	p->interrupts_known = p->interrupts_known && tlb_interrupts_read(&after);
	p->tlb_interrupts = p->interrupts_known && after >= before ? after - before : 0;
}

void remote_flush_host_read(struct remote_flush_host *h)
{
	struct kernel_symbols ks = { 0 };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(h, 0, sizeof(*h));
	h->cpus = cpus > 0 ? (unsigned int)cpus : 1;
	if (h->cpus > 1)
		run_probe(&h->probe);
	read_cpuid(h);
	scan_kallsyms(h, &ks);
	read_kernel_view(h, &ks);
	read_boot_line(h);
	h->invlpgb = ks.broadcast_tlb_flush && cpu_has_flag("invlpgb");
}

bool tlb_interrupts_read(uint64_t *total)
{
	FILE *f = fopen("/proc/interrupts", "re");
	char *line = NULL;
	size_t cap = 0;
	bool found = false;

	/* line by line: the file is larger than one read() on hosts of many CPUs */
	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0)
		found = interrupts_tlb_total(line, total);
	free(line);
	fclose(f);
	return found;
}
