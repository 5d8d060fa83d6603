// SPDX-License-Identifier: GPL-2.0
/*
 * The ksym source: the kernel's symbol table. libbpf resolves weak externs
 * from /proc/kallsyms; when kptr_restrict censors that file, the ksym
 * iterator reads the same table from inside the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "layout_probe.h"
#include "kernel_btf.h"
#include "ksym.skel.h"
#include "kread.h"
#include "procfs_read.h"

static void claim_text(struct discovery *d, struct layout *out, uint64_t text,
		       const char *how)
{
	if (!layout_claim(out, LF_TEXT, LS_KSYM, text, 0, "%s", how))
		return;
	layout_claim(out, LF_TEXT_SLIDE, LS_KSYM, text - discovery_start_kernel(d),
		     0, "_text - __START_KERNEL (0x%llx)",
		     (unsigned long long)discovery_start_kernel(d));
}

static void claim_var(struct layout *out, enum layout_field f, uint64_t addr,
		      uint64_t value, const char *how)
{
	if (addr)
		layout_claim(out, f, LS_KSYM, value, 0, "%s", how);
}

static bool kallsyms_censored(void)
{
	bool censored;
	uint64_t addr;

	kallsyms_find("_text", &addr, &censored);
	return censored;
}

/* Read the iterator's "value name" lines. Returns how many symbols it gave. */
static int read_iterator(struct ksym_bpf *skel, struct discovery *d,
			 struct layout *out)
{
	struct bpf_link *link;
	char buf[4096];
	int fd, n = 0;
	ssize_t len;
	size_t used = 0;

	link = bpf_program__attach_iter(skel->progs.dump_ksyms, NULL);
	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		n = -errno;
		goto out;
	}
	while ((len = read(fd, buf + used, sizeof(buf) - 1 - used)) > 0)
		used += len;
	buf[used] = '\0';
	close(fd);

	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long value;
		uint64_t val2;
		char name[32];

		if (sscanf(line, "%llx %31s", &value, name) != 2)
			continue;
		n++;
		if (!strcmp(name, "_text")) {
			claim_text(d, out, value, "ksym iterator (kallsyms censored)");
			continue;
		}
		/* Variables: the iterator gives the address; read the value. */
		if (!discovery_kread(d) ||
		    kread_u64(discovery_kread(d), value, &val2))
			continue;
		if (!strcmp(name, "page_offset_base"))
			claim_var(out, LF_PAGE_OFFSET_BASE, value, val2, "ksym iterator");
		else if (!strcmp(name, "vmalloc_base"))
			claim_var(out, LF_VMALLOC_BASE, value, val2, "ksym iterator");
		else if (!strcmp(name, "vmemmap_base"))
			claim_var(out, LF_VMEMMAP_BASE, value, val2, "ksym iterator");
		else if (!strcmp(name, "phys_base"))
			claim_var(out, LF_PHYS_BASE, value, val2, "ksym iterator");
	}
out:
	bpf_link__destroy(link);
	return n;
}

int source_ksym(struct discovery *d)
{
	struct layout *out = source_target(d, LS_KSYM);
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	bool censored = kallsyms_censored();
	struct ksym_bpf *skel;
	char why[200];
	int err;

	skel = ksym_bpf__open_opts(kernel_btf_open_opts());
	if (!skel) {
		source_unavailable(out, LS_KSYM, "cannot open BPF object: %s",
				   strerror(errno));
		return -errno;
	}
	/* The iterator exists since 6.0; probe it rather than a version. */
	if (!d->vmlinux_btf ||
	    btf__find_by_name_kind(d->vmlinux_btf, "bpf_iter__ksym", BTF_KIND_STRUCT) <= 0 ||
	    !censored)
		bpf_program__set_autoload(skel->progs.dump_ksyms, false);
	err = bpf_skel_load(skel->skeleton, false, why, sizeof(why));
	if (err) {
		source_unavailable(out, LS_KSYM, "cannot load ksym program: %s", why);
		goto out;
	}
	if (censored) {
		if (bpf_program__autoload(skel->progs.dump_ksyms) &&
		    read_iterator(skel, d, out) > 0)
			goto out;
		source_unavailable(out, LS_KSYM,
				   "/proc/kallsyms shows no addresses (kptr_restrict) and the ksym iterator is unavailable");
		goto out;
	}

	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.read_ksyms), &opts);
	if (err) {
		source_unavailable(out, LS_KSYM, "cannot run ksym program: %s",
				   strerror(errno));
		goto out;
	}
	if (skel->bss->text_addr)
		claim_text(d, out, skel->bss->text_addr, "/proc/kallsyms via __ksym extern");
	claim_var(out, LF_PAGE_OFFSET_BASE, skel->bss->page_offset_base_addr,
		  skel->bss->page_offset_base_val, "__ksym extern, value read in BPF");
	claim_var(out, LF_VMALLOC_BASE, skel->bss->vmalloc_base_addr,
		  skel->bss->vmalloc_base_val, "__ksym extern, value read in BPF");
	claim_var(out, LF_VMEMMAP_BASE, skel->bss->vmemmap_base_addr,
		  skel->bss->vmemmap_base_val, "__ksym extern, value read in BPF");
	claim_var(out, LF_PHYS_BASE, skel->bss->phys_base_addr,
		  skel->bss->phys_base_val, "__ksym extern, value read in BPF");
	if (!skel->bss->page_offset_base_addr)
		source_unavailable(out, LS_KSYM,
				   "data symbols absent from kallsyms (no CONFIG_KALLSYMS_ALL): _text only");
out:
	ksym_bpf__destroy(skel);
	return 0;
}
