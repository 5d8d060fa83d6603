// SPDX-License-Identifier: GPL-2.0
/*
 * Ground truth inside a QEMU guest, independent of kvas: symbol addresses
 * from /proc/kallsyms, and the variables' values read from /proc/kcore (an
 * ELF core file of the kernel's address space). Prints one JSON object.
 * Runs before the guest raises kptr_restrict.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

#define MAX_PHDRS 512

static Elf64_Phdr phdrs[MAX_PHDRS];
static int nr_phdrs;

static int kallsyms(const char *sym, uint64_t *addr)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	bool censored;
	int found;

	if (!f)
		return -errno;
	found = kallsyms_lookup(f, sym, addr, &censored);
	fclose(f);
	return found ? 0 : -ENOENT;
}

static int kcore_open(void)
{
	int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;

	if (fd < 0)
		return -errno;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_phnum > MAX_PHDRS)
		return -EINVAL;
	nr_phdrs = eh.e_phnum;
	if (pread(fd, phdrs, sizeof(phdrs[0]) * nr_phdrs, eh.e_phoff) !=
	    (ssize_t)(sizeof(phdrs[0]) * nr_phdrs))
		return -EIO;
	return fd;
}

static int kcore_read(int fd, uint64_t va, void *buf, size_t len)
{
	for (int i = 0; i < nr_phdrs; i++) {
		const Elf64_Phdr *ph = &phdrs[i];

		if (ph->p_type != PT_LOAD || va < ph->p_vaddr ||
		    va + len > ph->p_vaddr + ph->p_memsz)
			continue;
		return pread(fd, buf, len, ph->p_offset + (va - ph->p_vaddr)) ==
		       (ssize_t)len ? 0 : -EIO;
	}
	return -ENOENT;
}

/* A variable's value: its address from kallsyms, its bytes from kcore. */
static void print_var(int fd, const char *json_name, const char *sym, size_t size)
{
	uint64_t addr, value = 0;

	if (kallsyms(sym, &addr) || kcore_read(fd, addr, &value, size)) {
		printf("  \"%s\": null,\n", json_name);
		return;
	}
	printf("  \"%s\": \"0x%llx\",\n", json_name, (unsigned long long)value);
}

int main(void)
{
	uint64_t text, l5 = 0, l5_addr;
	int fd = kcore_open();

	if (fd < 0) {
		fprintf(stderr, "truth: cannot read /proc/kcore: %s\n", strerror(-fd));
		return 1;
	}
	printf("{\n");
	print_var(fd, "page_offset_base", "page_offset_base", 8);
	print_var(fd, "vmalloc_base", "vmalloc_base", 8);
	print_var(fd, "vmemmap_base", "vmemmap_base", 8);
	print_var(fd, "phys_base", "phys_base", 8);
	/* 4-level-only kernels have no such variable. */
	if (!kallsyms("__pgtable_l5_enabled", &l5_addr))
		kcore_read(fd, l5_addr, &l5, 4);
	printf("  \"paging_levels\": %d,\n", l5 ? 5 : 4);
	if (kallsyms("_text", &text))
		printf("  \"_text\": null\n");
	else
		printf("  \"_text\": \"0x%llx\"\n", (unsigned long long)text);
	printf("}\n");
	close(fd);
	return 0;
}
