// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_cache.h"
#include "containers.h"
#include "proc_maps.h"
#include "procfs.h"
#include "record_procs.h"
#include "user_symbols.h"

/* Room for one more in a growing array: 0, or -1. */
static int room(void **arr, size_t *cap, size_t nr, size_t size)
{
	size_t grown = *cap ? *cap * 2 : 64;
	void *p;

	if (nr < *cap)
		return 0;
	p = realloc(*arr, grown * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = grown;
	return 0;
}

#define ROOM(arr, cap, nr) room((void **)&(arr), &(cap), (nr), sizeof(*(arr)))

/* One /proc/PID/maps line into m: 0, or -1 when it is none. */
static int maps_line(const char *line, uint32_t pid, struct rec_mapping *m)
{
	struct maps_line ml;

	memset(m, 0, sizeof(*m));
	m->pid = pid;
	if (!maps_line_parse(line, &ml) || strlen(ml.perms) >= sizeof(m->perms))
		return -1;
	m->start = ml.start;
	m->end = ml.end;
	m->pgoff = ml.pgoff;
	memcpy(m->perms, ml.perms, sizeof(m->perms));
	m->name = ml.name_len ? strndup(ml.name, ml.name_len) : strdup("[anon]");
	return m->name ? 0 : -1;
}

static bool have_mapping(const struct record_proc_state *st, const struct rec_mapping *m)
{
	for (size_t i = 0; i < st->nr_maps; i++) {
		const struct rec_mapping *o = &st->maps[i];

		if (o->start == m->start && o->end == m->end && o->pgoff == m->pgoff &&
		    !strcmp(o->name, m->name))
			return true;
	}
	return false;
}

/* Add pid's mappings not recorded yet. */
static void read_maps(struct record_proc_state *st, uint32_t pid)
{
	char path[32], *line = NULL;
	struct rec_mapping m;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (getline(&line, &len, f) > 0) {
		if (maps_line(line, pid, &m))
			continue;
		if (have_mapping(st, &m) || ROOM(st->maps, st->cap_maps, st->nr_maps)) {
			free(m.name);
			continue;
		}
		st->maps[st->nr_maps++] = m;
	}
	free(line);
	fclose(f);
}

/*
 * ppid and starttime (fields 4 and 22) from /proc/PID/stat, after the
 * name, which may hold ')': false where it cannot be read (gone).
 */
static bool read_stat(uint32_t pid, uint32_t *ppid, uint64_t *start_time)
{
	char path[32], buf[1024], *close_paren;
	unsigned int parent;
	unsigned long long start;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if (read_small_file(path, buf, sizeof(buf)) <= 0 || !(close_paren = strrchr(buf, ')')))
		return false;
	if (sscanf(close_paren + 1, " %*c %u %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d"
		   " %*d %*d %*d %*d %llu", &parent, &start) != 2)
		return false;
	*ppid = parent;
	*start_time = start;
	return true;
}

static void forget_maps(struct record_proc_state *st)
{
	for (size_t m = 0; m < st->nr_maps; m++)
		free(st->maps[m].name);
	st->nr_maps = 0;
	st->last_hit = 0;
}

/* Its arguments joined by spaces, or NULL. */
static char *read_cmdline(uint32_t pid)
{
	char path[32], buf[4096];
	int n;

	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	n = read_small_file(path, buf, sizeof(buf));
	if (n <= 0)
		return NULL;
	while (n > 0 && !buf[n - 1])
		n--;
	for (int i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	return strndup(buf, n);
}

/* Its name and command line now (after an exec: the new program's). */
static void read_names(struct rec_process *p, const struct vm_event *e)
{
	char path[32], comm[32];

	free(p->comm);
	free(p->cmdline);
	p->cmdline = e->pid ? read_cmdline(e->pid) : NULL;
	snprintf(path, sizeof(path), "/proc/%u/comm", e->pid);
	if (!e->pid || read_small_file(path, comm, sizeof(comm)) <= 0)
		snprintf(comm, sizeof(comm), "%.16s", e->comm);
	comm[strcspn(comm, "\n")] = '\0';
	p->comm = strdup(comm);
}

/*
 * Its maps, and its files' symbols while it lives: it may be gone when its
 * ips are named. Once more (again set), only what was not read before.
 */
static void read_image(struct record_procs *rp, size_t i, const struct vm_event *e, bool again)
{
	rp->state[i].read_ts = e->ts;
	if (!e->pid)
		return;
	read_maps(&rp->state[i], e->pid);
	if (!rp->us)
		return;
	if (again)
		user_symbols_forget(rp->us, e->pid);
	user_symbols_prefetch(rp->us, e->pid);
}

static void process_seen(struct record_procs *rp, const struct vm_event *e)
{
	struct rec_process *p;

	if (ROOM(rp->procs, rp->cap_procs, rp->nr_procs) ||
	    ROOM(rp->state, rp->cap_state, rp->nr_procs))
		return;
	p = &rp->procs[rp->nr_procs];
	memset(p, 0, sizeof(*p));
	memset(&rp->state[rp->nr_procs], 0, sizeof(rp->state[0]));
	memcpy(rp->state[rp->nr_procs].comm, e->comm, sizeof(e->comm));
	rp->nr_procs++;
	p->pid = e->pid;
	p->cgroup = e->cgroup;
	if (e->pid)
		read_stat(e->pid, &p->ppid, &rp->state[rp->nr_procs - 1].start_time);
	read_names(p, e);
	read_image(rp, rp->nr_procs - 1, e, false);
}

/* A main thread under a new name has exec'd: a new program, new maps. */
static void process_again(struct record_procs *rp, size_t i, const struct vm_event *e)
{
	struct record_proc_state *st = &rp->state[i];

	if (e->tid != e->pid || !memcmp(st->comm, e->comm, sizeof(st->comm)))
		return;
	memcpy(st->comm, e->comm, sizeof(st->comm));
	read_names(&rp->procs[i], e);
	/*
	 * The old program's maps are gone with it: kept, they would overlap
	 * the new one's. The file holds one set of maps per process, its
	 * last program's.
	 */
	forget_maps(st);
	read_image(rp, i, e, true);
}

static void cgroup_seen(struct record_procs *rp, uint64_t key)
{
	const char *path = rp->cc ? cgroup_path(rp->cc, key) : NULL;
	struct container_ref ref;
	struct rec_cgroup *c;
	char label[96];

	if (ROOM(rp->cgroups, rp->cap_cgroups, rp->nr_cgroups))
		return;
	c = &rp->cgroups[rp->nr_cgroups++];
	memset(c, 0, sizeof(*c));
	c->key = key;
	c->path = path ? strdup(path) : NULL;
	if (path && container_parse(path, &ref) && container_label(&ref, label, sizeof(label)))
		c->container = strdup(label);
}

void record_procs_seen(struct record_procs *rp, const struct vm_event *e)
{
	bool added;
	uint32_t *i = record_table_get(&rp->proc_at, e->pid, 0, rp->nr_procs, &added);

	if (i && added)
		process_seen(rp, e);
	else if (i && *i < rp->nr_procs)
		process_again(rp, *i, e);
	if (record_table_get(&rp->thread_at, e->tid, e->pid, rp->nr_threads, &added) && added &&
	    !ROOM(rp->threads, rp->cap_threads, rp->nr_threads)) {
		struct rec_thread *t = &rp->threads[rp->nr_threads++];

		t->pid = e->pid;
		t->tid = e->tid;
		memcpy(t->comm, e->comm, sizeof(t->comm));
		t->comm[sizeof(t->comm) - 1] = '\0';
	}
	if (record_table_get(&rp->cgroup_at, e->cgroup, 0, rp->nr_cgroups, &added) && added)
		cgroup_seen(rp, e->cgroup);
}

static const struct rec_mapping *find_mapping(struct record_proc_state *st, uint64_t addr)
{
	const struct rec_mapping *m = st->last_hit < st->nr_maps ? &st->maps[st->last_hit] : NULL;

	if (m && addr >= m->start && addr < m->end)
		return m;
	for (size_t i = 0; i < st->nr_maps; i++) {
		if (addr >= st->maps[i].start && addr < st->maps[i].end) {
			st->last_hit = i;
			return &st->maps[i];
		}
	}
	return NULL;
}

const struct rec_mapping *record_procs_mapping(struct record_procs *rp, const struct vm_event *e,
					       uint64_t addr, uint64_t gap_ns)
{
	bool added;
	uint32_t *i = record_table_get(&rp->proc_at, e->pid, 0, rp->nr_procs, &added);
	const struct rec_mapping *m;

	if (!i || added || *i >= rp->nr_procs)
		return NULL;
	m = find_mapping(&rp->state[*i], addr);
	if (m || !e->pid || e->ts - rp->state[*i].read_ts < gap_ns)
		return m;
	read_image(rp, *i, e, true);
	return find_mapping(&rp->state[*i], addr);
}

/* At the end, for the processes still alive: not another process that took a pid since. */
void record_procs_refresh(struct record_procs *rp)
{
	uint64_t start_time;
	uint32_t ppid;

	for (size_t i = 0; i < rp->nr_procs; i++)
		if (rp->procs[i].pid && read_stat(rp->procs[i].pid, &ppid, &start_time) &&
		    start_time == rp->state[i].start_time)
			read_maps(&rp->state[i], rp->procs[i].pid);
}

int record_procs_write(const struct record_procs *rp, struct kd_writer *w)
{
	for (size_t i = 0; i < rp->nr_procs; i++)
		kd_write_process(w, &rp->procs[i]);
	for (size_t i = 0; i < rp->nr_threads; i++)
		kd_write_thread(w, &rp->threads[i]);
	for (size_t i = 0; i < rp->nr_cgroups; i++)
		kd_write_cgroup(w, &rp->cgroups[i]);
	for (size_t i = 0; i < rp->nr_procs; i++)
		for (size_t m = 0; m < rp->state[i].nr_maps; m++)
			kd_write_mapping(w, &rp->state[i].maps[m]);
	return w->err;
}

void record_procs_free(struct record_procs *rp)
{
	for (size_t i = 0; i < rp->nr_procs; i++) {
		free(rp->procs[i].comm);
		free(rp->procs[i].cmdline);
	}
	for (size_t i = 0; i < rp->nr_cgroups; i++) {
		free(rp->cgroups[i].path);
		free(rp->cgroups[i].container);
	}
	for (size_t i = 0; i < rp->nr_procs; i++) {
		forget_maps(&rp->state[i]);
		free(rp->state[i].maps);
	}
	free(rp->procs);
	free(rp->state);
	free(rp->threads);
	free(rp->cgroups);
	record_table_free(&rp->proc_at);
	record_table_free(&rp->thread_at);
	record_table_free(&rp->cgroup_at);
	memset(rp, 0, sizeof(*rp));
}
