// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "elf_symbols.h"

/* Aliases at one address: the global name is the one a reader knows. */
static int bind_rank(unsigned char bind)
{
	return bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
}

struct loading {
	struct elf_symbols *t;
	size_t cap, names_len, names_cap;
};

static int add_name(struct loading *l, const char *name, uint32_t *at)
{
	size_t len = strlen(name) + 1;
	char *grown;

	if (l->names_len + len > l->names_cap) {
		l->names_cap = (l->names_len + len) * 2;
		grown = realloc(l->t->names, l->names_cap);
		if (!grown)
			return -ENOMEM;
		l->t->names = grown;
	}
	memcpy(l->t->names + l->names_len, name, len);
	*at = (uint32_t)l->names_len;
	l->names_len += len;
	return 0;
}

static int add_symbol(struct loading *l, const GElf_Sym *sym, const char *name)
{
	struct elf_symbols *t = l->t;

	if (t->nr == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct elf_symbol *syms = realloc(t->syms, cap * sizeof(*syms));

		if (!syms)
			return -ENOMEM;
		t->syms = syms;
		l->cap = cap;
	}
	if (add_name(l, name, &t->syms[t->nr].name))
		return -ENOMEM;
	t->syms[t->nr].addr = sym->st_value;
	t->syms[t->nr].size = sym->st_size;
	t->syms[t->nr].rank = bind_rank(GELF_ST_BIND(sym->st_info));
	t->nr++;
	return 0;
}

/*
 * Functions only, defined here, with a size: a zero-size label covers
 * nothing that can be told, and an ip in no function stays bare.
 */
static bool is_function(const GElf_Sym *sym)
{
	int type = GELF_ST_TYPE(sym->st_info);

	return (type == STT_FUNC || type == STT_GNU_IFUNC) && sym->st_shndx != SHN_UNDEF &&
	       sym->st_value && sym->st_size;
}

static int read_table(struct loading *l, Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	GElf_Sym sym;
	const char *name;

	if (!data)
		return -ENOENT;
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getsym(data, (int)i, &sym) || !is_function(&sym))
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (name && name[0] && add_symbol(l, &sym, name))
			return -ENOMEM;
	}
	return 0;
}

static int read_segments(struct elf_symbols *t, Elf *elf)
{
	size_t n;
	GElf_Phdr ph;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	t->segments = calloc(n ? n : 1, sizeof(*t->segments));
	if (!t->segments)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		t->segments[t->nr_segments++] = (struct elf_segment){
			ph.p_offset, ph.p_vaddr, ph.p_filesz,
		};
	}
	return 0;
}

/* .symtab where the file kept it (not stripped), else .dynsym. */
static Elf_Scn *symbol_section(Elf *elf, GElf_Shdr *sh, bool *symtab)
{
	Elf_Scn *scn = NULL, *dynsym = NULL;
	GElf_Shdr dyn_sh;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, sh))
			continue;
		if (sh->sh_type == SHT_SYMTAB) {
			*symtab = true;
			return scn;
		}
		if (sh->sh_type == SHT_DYNSYM) {
			dynsym = scn;
			dyn_sh = *sh;
		}
	}
	if (dynsym)
		*sh = dyn_sh;
	*symtab = false;
	return dynsym;
}

static int by_address(const void *a, const void *b)
{
	const struct elf_symbol *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->rank - (int)y->rank;
}

/* Sort by address (global names first among aliases) and keep one per address. */
static void sort_unique(struct elf_symbols *t)
{
	size_t kept = 0;

	if (!t->nr)
		return;		/* qsort of a NULL array is undefined, even of none */
	qsort(t->syms, t->nr, sizeof(*t->syms), by_address);
	for (size_t i = 0; i < t->nr; i++)
		if (!kept || t->syms[kept - 1].addr != t->syms[i].addr)
			t->syms[kept++] = t->syms[i];
	t->nr = kept;
}

static int load_elf(struct elf_symbols *t, Elf *elf)
{
	struct loading l = { .t = t };
	GElf_Shdr sh;
	Elf_Scn *scn;
	int err;

	memset(t, 0, sizeof(*t));
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		return -ENOEXEC;
	err = read_segments(t, elf);
	scn = err ? NULL : symbol_section(elf, &sh, &t->symtab);
	if (!err && !scn)
		err = -ENOENT;
	if (!err)
		err = read_table(&l, elf, scn, &sh);
	if (!err)
		sort_unique(t);
	if (!err && !t->nr)
		err = -ENOENT;
	if (err)
		elf_symbols_free(t);
	return err;
}

int elf_symbols_load(struct elf_symbols *t, int fd)
{
	Elf *elf;
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOEXEC;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	err = load_elf(t, elf);
	elf_end(elf);
	return err;
}

int elf_symbols_load_image(struct elf_symbols *t, const void *image, size_t len)
{
	Elf *elf;
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOEXEC;
	elf = elf_memory((char *)image, len);
	err = load_elf(t, elf);
	elf_end(elf);
	return err;
}

void elf_symbols_free(struct elf_symbols *t)
{
	free(t->syms);
	free(t->names);
	free(t->segments);
	memset(t, 0, sizeof(*t));
}

bool elf_symbols_vaddr(const struct elf_symbols *t, uint64_t offset, uint64_t *vaddr)
{
	for (size_t i = 0; i < t->nr_segments; i++) {
		const struct elf_segment *s = &t->segments[i];

		if (offset >= s->offset && offset - s->offset < s->filesz) {
			*vaddr = s->vaddr + (offset - s->offset);
			return true;
		}
	}
	return false;
}

/* How far back a function that encloses later ones (nested, rare) is looked for. */
#define ENCLOSING_LOOKBACK 8

const struct elf_symbol *elf_symbols_at(const struct elf_symbols *t, uint64_t vaddr)
{
	size_t lo = 0, hi = t->nr;

	/* the first symbol above vaddr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo, n = 0; i > 0 && n < ENCLOSING_LOOKBACK; i--, n++) {
		const struct elf_symbol *s = &t->syms[i - 1];

		if (vaddr - s->addr < s->size)
			return s;
	}
	return NULL;
}
