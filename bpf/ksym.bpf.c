// SPDX-License-Identifier: GPL-2.0
/*
 * The ksym source. Two ways to the kernel's own symbol table:
 *  - weak, untyped externs that libbpf resolves from /proc/kallsyms at load
 *    time (a typed weak extern of a plain global gets a BTF id of 0, which
 *    older verifiers reject);
 *  - the ksym iterator, which reads kallsyms inside the kernel and so is not
 *    censored by kptr_restrict=2.
 * Data symbols (page_offset_base, ...) exist only with CONFIG_KALLSYMS_ALL.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

extern const void _text __ksym __weak;
extern const void page_offset_base __ksym __weak;
extern const void vmalloc_base __ksym __weak;
extern const void vmemmap_base __ksym __weak;
extern const void phys_base __ksym __weak;

/* Address of each symbol (0: not resolved) and, for variables, its value. */
__u64 text_addr;
__u64 page_offset_base_addr, page_offset_base_val;
__u64 vmalloc_base_addr, vmalloc_base_val;
__u64 vmemmap_base_addr, vmemmap_base_val;
__u64 phys_base_addr, phys_base_val;

static __always_inline void read_var(const void *sym, __u64 *addr, __u64 *val)
{
	*addr = (__u64)sym;
	if (sym)
		bpf_probe_read_kernel(val, sizeof(*val), sym);
}

SEC("raw_tp")
int read_ksyms(void *ctx)
{
	text_addr = (__u64)&_text;
	read_var(&page_offset_base, &page_offset_base_addr, &page_offset_base_val);
	read_var(&vmalloc_base, &vmalloc_base_addr, &vmalloc_base_val);
	read_var(&vmemmap_base, &vmemmap_base_addr, &vmemmap_base_val);
	read_var(&phys_base, &phys_base_addr, &phys_base_val);
	return 0;
}

/* Names the iterator reports; everything else stays in the kernel. */
static __always_inline int wanted(const char *name)
{
	return !bpf_strncmp(name, sizeof("_text"), "_text") ||
	       !bpf_strncmp(name, sizeof("_stext"), "_stext") ||
	       !bpf_strncmp(name, sizeof("page_offset_base"), "page_offset_base") ||
	       !bpf_strncmp(name, sizeof("vmalloc_base"), "vmalloc_base") ||
	       !bpf_strncmp(name, sizeof("vmemmap_base"), "vmemmap_base") ||
	       !bpf_strncmp(name, sizeof("phys_base"), "phys_base");
}

SEC("iter/ksym")
int dump_ksyms(struct bpf_iter__ksym *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct kallsym_iter *iter = ctx->ksym;
	char name[24];
	__u64 value;

	if (!iter)
		return 0;
	if (bpf_probe_read_kernel_str(name, sizeof(name), iter->name) <= 0)
		return 0;
	if (!wanted(name))
		return 0;
	value = iter->value;
	BPF_SEQ_PRINTF(seq, "%llx %s\n", value, name);
	return 0;
}
