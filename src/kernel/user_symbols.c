// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elf_symbols.h"
#include "mono_clock.h"
#include "proc_maps.h"
#include "user_symbols.h"

/*
 * Bounds: trace may see thousands of ips a second from many processes.
 * A process's maps are read again at most every MAPS_TTL_NS (its entry is
 * then reread: a dlopen, an exec, a pid reused), and on an ip in none of
 * them at most every MAPS_MISS_NS. ELF files are read one at a time and
 * closed at once; their symbols stay cached, FILES_CACHED of them.
 */
#define PROCS_CACHED	64
#define FILES_CACHED	32
#define MAPS_TTL_NS	1000000000ULL
#define MAPS_MISS_NS	100000000ULL

/* An executable file mapping of a process. */
struct exec_mapping {
	uint64_t start, end, pgoff;
	dev_t dev;
	ino_t ino;
	char *path;
};

struct proc_maps {
	pid_t pid;			/* 0: a free slot */
	bool readable;			/* false: gone, or not readable */
	uint64_t start_ns;		/* the process's start (since boot) */
	char comm[16];			/* its main thread's name when read */
	struct exec_mapping *maps;
	size_t nr;
	uint64_t read_ns;		/* CLOCK_MONOTONIC */
	uint64_t used;
};

struct elf_file {
	dev_t dev;
	ino_t ino;
	bool in_use;
	bool has_symbols;		/* false: read, and no symbol table (or not ELF) */
	struct elf_symbols syms;
	uint64_t used;
};

struct user_symbols {
	struct proc_maps procs[PROCS_CACHED];
	struct elf_file files[FILES_CACHED];
	uint64_t tick;
	long clk_tck;
};

struct user_symbols *user_symbols_new(void)
{
	struct user_symbols *us = calloc(1, sizeof(*us));

	if (us)
		us->clk_tck = sysconf(_SC_CLK_TCK);
	return us;
}

static void proc_clear(struct proc_maps *p)
{
	for (size_t i = 0; i < p->nr; i++)
		free(p->maps[i].path);
	free(p->maps);
	memset(p, 0, sizeof(*p));
}

void user_symbols_free(struct user_symbols *us)
{
	if (!us)
		return;
	for (int i = 0; i < PROCS_CACHED; i++)
		proc_clear(&us->procs[i]);
	for (int i = 0; i < FILES_CACHED; i++)
		if (us->files[i].has_symbols)
			elf_symbols_free(&us->files[i].syms);
	free(us);
}

/* One line of /proc/PID/maps, kept when it maps a file executable. */
static int add_mapping(struct proc_maps *p, const char *line, size_t *cap)
{
	struct exec_mapping m = { 0 };
	struct maps_line ml;

	if (!maps_line_parse(line, &ml))
		return 0;
	if (ml.perms[2] != 'x' || !ml.ino || ml.name[0] != '/')
		return 0;
	if (p->nr == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 16;
		struct exec_mapping *grown = realloc(p->maps, grown_cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		p->maps = grown;
		*cap = grown_cap;
	}
	m.start = ml.start;
	m.end = ml.end;
	m.pgoff = ml.pgoff;
	m.dev = makedev(ml.major, ml.minor);
	m.ino = ml.ino;
	m.path = strndup(ml.name, ml.name_len);
	if (!m.path)
		return -ENOMEM;
	p->maps[p->nr++] = m;
	return 0;
}

static bool read_maps(struct proc_maps *p)
{
	char path[32], *line = NULL;
	size_t len = 0, cap = 0;
	bool ok = true;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", p->pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (ok && getline(&line, &len, f) > 0)
		ok = !add_mapping(p, line, &cap);
	ok = ok && !ferror(f);
	free(line);
	fclose(f);
	return ok;
}

/* Its start (field 22, ticks since boot) and its main thread's name. */
static bool read_stat(struct proc_maps *p, long clk_tck)
{
	char path[32], buf[1024], *open_paren, *close_paren, *field;
	unsigned long long start_ticks;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", p->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* the name may hold spaces and parentheses: it ends at the last ')' */
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren || clk_tck <= 0)
		return false;
	memset(p->comm, 0, sizeof(p->comm));
	memcpy(p->comm, open_paren + 1, close_paren - open_paren - 1 < 15 ?
	       close_paren - open_paren - 1 : 15);
	field = close_paren + 2;	/* field 3, the state */
	for (int i = 3; i < 22 && field; i++) {
		field = strchr(field, ' ');
		field = field ? field + 1 : NULL;
	}
	if (!field || sscanf(field, "%llu", &start_ticks) != 1)
		return false;
	p->start_ns = start_ticks * (1000000000ULL / clk_tck);
	return true;
}

/*
 * Read the process's entry again. A process that has exited since keeps
 * what was read while it lived: its records still in the buffer are older
 * than its exit, and its files' symbols may be cached already.
 */
static void proc_read(struct proc_maps *p, pid_t pid, long clk_tck)
{
	struct proc_maps fresh = { .pid = pid, .read_ns = monotonic_ns() };

	fresh.readable = read_stat(&fresh, clk_tck) && read_maps(&fresh);
	if (!fresh.readable && p->pid == pid && p->readable) {
		proc_clear(&fresh);
		p->read_ns = fresh.read_ns;
		return;
	}
	fresh.used = p->used;
	proc_clear(p);
	*p = fresh;
}

/* The process's entry, read now when it has none or an old one. */
static struct proc_maps *proc_get(struct user_symbols *us, pid_t pid)
{
	struct proc_maps *p = NULL, *oldest = &us->procs[0];

	for (int i = 0; i < PROCS_CACHED && !p; i++) {
		if (us->procs[i].pid == pid)
			p = &us->procs[i];
		else if (us->procs[i].used < oldest->used)
			oldest = &us->procs[i];
	}
	if (!p || monotonic_ns() - p->read_ns >= MAPS_TTL_NS) {
		p = p ? p : oldest;
		proc_read(p, pid, us->clk_tck);
	}
	p->used = ++us->tick;
	return p;
}

static const struct exec_mapping *mapping_of(const struct proc_maps *p, uint64_t ip)
{
	for (size_t i = 0; i < p->nr; i++)
		if (ip >= p->maps[i].start && ip < p->maps[i].end)
			return &p->maps[i];
	return NULL;
}

/*
 * The mapped file itself: map_files names the very file mapped, even one
 * deleted or in another mount namespace; the path under the process's
 * root is a fallback, taken only if it is still the same file.
 */
static int open_mapped(pid_t pid, const struct exec_mapping *m)
{
	char path[4096 + 64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, pid, m->start,
		 m->end);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "/proc/%d/root%s", pid, m->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &st) || st.st_dev != m->dev || st.st_ino != m->ino)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The symbols of the mapping's file, read at its first ip; NULL when there are none. */
static const struct elf_symbols *file_symbols(struct user_symbols *us, pid_t pid,
					      const struct exec_mapping *m)
{
	struct elf_file *f = NULL, *oldest = &us->files[0];
	int fd;

	for (int i = 0; i < FILES_CACHED && !f; i++) {
		struct elf_file *c = &us->files[i];

		if (c->in_use && c->dev == m->dev && c->ino == m->ino)
			f = c;
		else if (!c->in_use || (oldest->in_use && c->used < oldest->used))
			oldest = c;
	}
	if (!f) {
		/* a file that cannot be opened now (its process exited) is not cached */
		fd = open_mapped(pid, m);
		if (fd < 0)
			return NULL;
		f = oldest;
		if (f->has_symbols)
			elf_symbols_free(&f->syms);
		f->dev = m->dev;
		f->ino = m->ino;
		f->in_use = true;
		f->has_symbols = !elf_symbols_load(&f->syms, fd);
		close(fd);
	}
	f->used = ++us->tick;
	return f->has_symbols ? &f->syms : NULL;
}

/*
 * Is the entry the task of the event? A process started after the event
 * took a reused pid; a main thread whose name is no longer the event's may
 * have exec'd since, and its maps would be another program's.
 */
static bool same_task(const struct proc_maps *p, const struct user_ip *at)
{
	return p->readable && p->start_ns <= at->ts_ns &&
	       (at->tid != at->pid || !strncmp(p->comm, at->comm, sizeof(p->comm)));
}

/* The file's name, as perf shows a module: the path's last part. */
static void module_name(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	size_t n = strlen(name);

	if (n > 10 && !strcmp(name + n - 10, " (deleted)"))
		n -= 10;
	snprintf(buf, len, "%.*s", (int)n, name);
}

void user_symbols_prefetch(struct user_symbols *us, pid_t pid)
{
	struct proc_maps *p = proc_get(us, pid);

	for (size_t i = 0; p->readable && i < p->nr; i++)
		file_symbols(us, pid, &p->maps[i]);
}

void user_symbols_forget(struct user_symbols *us, pid_t pid)
{
	for (int i = 0; i < PROCS_CACHED; i++)
		if (us->procs[i].pid == pid)
			proc_clear(&us->procs[i]);
}

bool user_symbols_name(struct user_symbols *us, const struct user_ip *at, char *sym,
		       size_t sym_len, char *module, size_t module_len)
{
	struct proc_maps *p = proc_get(us, at->pid);
	const struct exec_mapping *m = same_task(p, at) ? mapping_of(p, at->ip) : NULL;
	const struct elf_symbols *syms;
	const struct elf_symbol *s;
	uint64_t vaddr;

	/* a library loaded, or a name changed, since the maps were read */
	if (!m && monotonic_ns() - p->read_ns >= MAPS_MISS_NS) {
		proc_read(p, at->pid, us->clk_tck);
		m = same_task(p, at) ? mapping_of(p, at->ip) : NULL;
	}
	if (!m)
		return false;
	syms = file_symbols(us, at->pid, m);
	if (!syms || !elf_symbols_vaddr(syms, at->ip - m->start + m->pgoff, &vaddr))
		return false;
	s = elf_symbols_at(syms, vaddr);
	if (!s)
		return false;
	snprintf(sym, sym_len, "%s+0x%" PRIx64, elf_symbol_name(syms, s), vaddr - s->addr);
	module_name(m->path, module, module_len);
	return true;
}
