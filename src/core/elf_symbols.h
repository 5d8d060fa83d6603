/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The function symbols of one ELF file, read through libelf from a file
 * descriptor the caller opened, and an address's symbol among them. Knows
 * nothing of processes: src/kernel/user_symbols.h maps an ip to a file.
 */
#ifndef KVAS_ELF_SYMBOLS_H
#define KVAS_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_symbol {
	uint64_t addr, size;		/* ELF virtual address (st_value, st_size) */
	uint32_t name;			/* offset in elf_symbols.names */
	uint32_t rank;			/* among aliases: 0 global, 1 weak, 2 local */
};

/* A PT_LOAD segment: which file bytes land at which ELF address. */
struct elf_segment {
	uint64_t offset, vaddr, filesz;
};

struct elf_symbols {
	struct elf_symbol *syms;	/* by address */
	size_t nr;
	char *names;
	struct elf_segment *segments;
	size_t nr_segments;
	bool symtab;			/* .symtab (all functions), else .dynsym (exported) */
};

/*
 * Read the functions of the ELF file open on fd: .symtab where present,
 * else .dynsym. 0; -ENOEXEC for a file that is not ELF; -ENOENT when it
 * has no symbol table; -ENOMEM. Leaves fd open and its offset unchanged.
 */
int elf_symbols_load(struct elf_symbols *t, int fd);
/* The same, from an ELF image in memory (len bytes at image). */
int elf_symbols_load_image(struct elf_symbols *t, const void *image, size_t len);
void elf_symbols_free(struct elf_symbols *t);

/* The ELF address of a file offset, through the PT_LOAD segment holding it. */
bool elf_symbols_vaddr(const struct elf_symbols *t, uint64_t offset, uint64_t *vaddr);

/* The function whose [addr, addr + size) holds vaddr, or NULL. */
const struct elf_symbol *elf_symbols_at(const struct elf_symbols *t, uint64_t vaddr);

static inline const char *elf_symbol_name(const struct elf_symbols *t,
					  const struct elf_symbol *s)
{
	return t->names + s->name;
}

#endif
