// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms.h"
#include "procfs.h"

int read_small_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	buf[n] = '\0';
	close(fd);
	return (int)n;
}

/* One /proc/iomem line: "  start-end : name", nesting shown by indent. */
static bool iomem_line(char *line, int *indent, unsigned long long *start,
		       unsigned long long *end, char **name)
{
	*indent = 0;
	while (line[*indent] == ' ')
		(*indent)++;
	if (sscanf(line + *indent, "%llx-%llx", start, end) != 2)
		return false;
	*name = strstr(line, " : ");
	if (!*name)
		return false;
	*name += 3;
	(*name)[strcspn(*name, "\n")] = '\0';
	return true;
}

uint64_t iomem_ram_end(const struct iomem *io)
{
	uint64_t end = 0;

	for (int i = 0; i < io->nr_ram; i++)
		if (io->ram[i].end > end)
			end = io->ram[i].end;
	return end;
}

int proc_status_parse(FILE *f, struct proc_status *st)
{
	char line[256];
	bool have_tgid = false;

	memset(st, 0, sizeof(*st));
	st->kthread = -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Name:", 5)) {
			char *n = line + 5 + strspn(line + 5, " \t");

			n[strcspn(n, "\n")] = '\0';
			snprintf(st->name, sizeof(st->name), "%s", n);
		} else if (sscanf(line, "State: %c", &st->state) == 1) {
			continue;
		} else if (sscanf(line, "Tgid: %d", &st->tgid) == 1) {
			have_tgid = true;
		} else if (sscanf(line, "Threads: %d", &st->threads) == 1) {
			continue;
		} else if (sscanf(line, "Kthread: %d", &st->kthread) == 1) {
			continue;
		}
	}
	return have_tgid && st->state ? 0 : -EINVAL;
}

int iomem_parse(FILE *f, struct iomem *io)
{
	char line[256];
	bool any_nonzero = false;

	memset(io, 0, sizeof(*io));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		char *name;
		int indent;

		if (!iomem_line(line, &indent, &start, &end, &name))
			continue;
		if (start || end)
			any_nonzero = true;
		if (indent == 0 && io->nr_top < IOMEM_MAX_RANGES) {
			struct iomem_resource *r = &io->top[io->nr_top++];

			r->range.start = start;
			r->range.end = end;
			snprintf(r->name, sizeof(r->name), "%s", name);
		}
		if (indent == 0 && !strcmp(name, "System RAM") &&
		    io->nr_ram < IOMEM_MAX_RANGES) {
			io->ram[io->nr_ram].start = start;
			io->ram[io->nr_ram].end = end;
			io->nr_ram++;
		} else if (!strcmp(name, "Kernel code") && !io->kernel_code_found) {
			io->kernel_code.start = start;
			io->kernel_code.end = end;
			io->kernel_code_found = true;
		} else if (!strcmp(name, "Kernel bss") && !io->kernel_bss_found) {
			io->kernel_bss.start = start;
			io->kernel_bss.end = end;
			io->kernel_bss_found = true;
		}
	}
	io->censored = !any_nonzero;
	return 0;
}

int iomem_resource_of(FILE *f, uint64_t pa, char *buf, size_t len)
{
	char line[256];
	int best_indent = -1;

	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		char *name;
		int indent;

		if (!iomem_line(line, &indent, &start, &end, &name) ||
		    pa < start || pa > end || indent <= best_indent)
			continue;
		snprintf(buf, len, "%s [0x%llx-0x%llx]", name, start, end);
		best_indent = indent;
	}
	return best_indent < 0 ? -ENOENT : 0;
}

bool iomem_is_ram(const struct iomem *io, uint64_t pa, size_t len)
{
	for (int i = 0; i < io->nr_ram; i++)
		if (len && pa >= io->ram[i].start && pa + len - 1 <= io->ram[i].end)
			return true;
	return false;
}

static bool kb_line(const char *line, const char *key, uint64_t *kb)
{
	size_t klen = strlen(key);
	unsigned long long v;

	if (strncmp(line, key, klen) || line[klen] != ':')
		return false;
	if (sscanf(line + klen + 1, "%llu", &v) != 1)
		return false;
	*kb = v;
	return true;
}

int meminfo_parse_direct_map(FILE *f, struct direct_map_stats *st)
{
	char line[256];
	int found = 0;

	while (fgets(line, sizeof(line), f)) {
		found += kb_line(line, "DirectMap4k", &st->kb_4k);
		found += kb_line(line, "DirectMap2M", &st->kb_2m);
		found += kb_line(line, "DirectMap1G", &st->kb_1g);
	}
	/* DirectMap1G is absent without gbpages; 4k and 2M are always there. */
	st->have_sizes = found >= 2;
	return st->have_sizes ? 0 : -ENOENT;
}

static bool count_line(const char *line, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);
	unsigned long long n;

	if (strncmp(line, key, klen) || line[klen] != ' ')
		return false;
	if (sscanf(line + klen + 1, "%llu", &n) != 1)
		return false;
	*v = n;
	return true;
}

int vmstat_parse_direct_map(FILE *f, struct direct_map_stats *st)
{
	char line[256];
	int splits = 0, collapses = 0;

	while (fgets(line, sizeof(line), f)) {
		splits += count_line(line, "direct_map_level2_splits", &st->level2_splits);
		splits += count_line(line, "direct_map_level3_splits", &st->level3_splits);
		collapses += count_line(line, "direct_map_level2_collapses",
					&st->level2_collapses);
		collapses += count_line(line, "direct_map_level3_collapses",
					&st->level3_collapses);
	}
	st->have_splits = splits == 2;
	st->have_collapses = collapses == 2;
	return 0;
}

int kallsyms_lookup(FILE *f, const char *symbol, uint64_t *addr, bool *censored)
{
	char line[512];
	bool any_nonzero = false;
	int found = 0;

	while (fgets(line, sizeof(line), f)) {
		uint64_t a;
		char type, name[256];

		if (!kallsyms_line(line, &a, &type, name, sizeof(name)))
			continue;
		if (a)
			any_nonzero = true;
		if (!found && !strcmp(name, symbol) && a) {
			*addr = a;
			found = 1;
		}
		if (found && any_nonzero)
			break;
	}
	*censored = !any_nonzero;
	return found;
}

bool cmdline_has(const char *cmdline, const char *word)
{
	size_t wlen = strlen(word);
	const char *p = cmdline;

	/* an empty word matches everywhere and never moves p on */
	if (!wlen)
		return false;
	while ((p = strstr(p, word))) {
		bool start_ok = p == cmdline || p[-1] == ' ';
		char after = p[wlen];

		if (start_ok && (after == '\0' || after == ' ' || after == '\n'))
			return true;
		p += wlen;
	}
	return false;
}

int vmallocinfo_lowest(FILE *f, uint64_t *addr)
{
	char line[512];
	bool found = false;

	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;

		if (sscanf(line, "0x%llx-0x%llx", &start, &end) != 2)
			continue;
		/* %pK hashes pointers: a "kernel address" in the user half is one. */
		if (start < 0xff00000000000000ULL)
			continue;
		/* Module and BPF JIT areas live above the vmalloc region. */
		if (start >= 0xffffffff80000000ULL)
			continue;
		if (!found || start < *addr) {
			*addr = start;
			found = true;
		}
	}
	return found ? 0 : -ENOENT;
}

int boot_params_kaslr_flag(const char *path, bool *set)
{
	unsigned char flags;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pread(fd, &flags, 1, BOOT_PARAMS_LOADFLAGS_OFFSET);
	close(fd);
	if (n != 1)
		return -EIO;
	*set = flags & BOOT_PARAMS_KASLR_FLAG;
	return 0;
}
