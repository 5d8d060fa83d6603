// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_cache.h"
#include "cgroups.h"
#include "mono_clock.h"


static uint64_t now_ms(void)
{
	return monotonic_ns() / 1000000;
}

static size_t bucket_of(const struct cgroup_cache *cc, uint64_t id)
{
	/* inode numbers are dense: mix them so that buckets fill evenly */
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 32) & (cc->nr_buckets - 1);
}

static struct cgroup_entry *find(const struct cgroup_cache *cc, uint64_t id)
{
	struct cgroup_entry *e;

	if (!cc->buckets)
		return NULL;
	for (e = cc->buckets[bucket_of(cc, id)]; e; e = e->next)
		if (e->id == id)
			return e;
	return NULL;
}

/* Twice the buckets once entries outnumber them: chains stay short. */
static void grow(struct cgroup_cache *cc)
{
	size_t n = cc->nr_buckets ? cc->nr_buckets * 2 : 256, old = cc->nr_buckets;
	struct cgroup_entry **b = calloc(n, sizeof(*b)), **was = cc->buckets;

	if (!b)
		return;		/* longer chains, still correct */
	cc->buckets = b;
	cc->nr_buckets = n;
	for (size_t i = 0; i < old; i++) {
		for (struct cgroup_entry *e = was[i], *next; e; e = next) {
			size_t k = bucket_of(cc, e->id);

			next = e->next;
			e->next = b[k];
			b[k] = e;
		}
	}
	free(was);
}

static struct cgroup_entry *add(struct cgroup_cache *cc, uint64_t id)
{
	struct cgroup_entry *e;
	size_t k;

	if (cc->entries + cc->negative >= cc->nr_buckets)
		grow(cc);
	if (!cc->buckets)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->id = id;
	k = bucket_of(cc, id);
	e->next = cc->buckets[k];
	cc->buckets[k] = e;
	return e;
}

static void count_out(struct cgroup_cache *cc, const struct cgroup_entry *e)
{
	if (e->path)
		cc->entries--;
	else
		cc->negative--;
}

/* Drop the entries drop() selects. */
static void prune(struct cgroup_cache *cc, bool (*drop)(const struct cgroup_entry *e,
							const struct cgroup_cache *cc, uint64_t now),
		  uint64_t now)
{
	for (size_t i = 0; i < cc->nr_buckets; i++) {
		struct cgroup_entry **p = &cc->buckets[i];

		while (*p) {
			struct cgroup_entry *e = *p;

			if (!drop(e, cc, now)) {
				p = &e->next;
				continue;
			}
			*p = e->next;
			count_out(cc, e);
			free(e->path);
			free(e);
		}
	}
}

/* A directory of kind's tree seen by a scan: its key, and its path under the mount. */
static void add_dir(struct cgroup_cache *cc, unsigned int kind, const char *fpath,
		    const struct stat *sb)
{
	const char *rel = fpath + strlen(cc->trees[kind].mount);
	uint64_t key = CGROUP_KEY(kind, sb->st_ino);
	struct cgroup_entry *e;
	char *path;

	e = find(cc, key);
	if (!e && !(e = add(cc, key)))
		return;	/* out of memory: this one stays unknown */
	e->scan = (uint32_t)cc->scans;
	if (e->path && !strcmp(e->path, *rel ? rel : "/"))
		return;
	path = strdup(*rel ? rel : "/");
	if (!path)
		return;
	if (!e->path) {
		/* an id that was unknown, or new: it has a path now */
		if (e->expires_ms)
			cc->negative--;
		cc->entries++;
	}
	free(e->path);
	e->path = path;
	e->expires_ms = 0;
}

/*
 * A cgroup's path from its id alone: cgroupfs takes the id as a file handle
 * (FILEID_KERNFS), and /proc/self/fd names what it opened. One open instead
 * of a walk of the tree, for a cgroup made since the last scan.
 */
#define FILEID_KERNFS 0xfe

static char *path_by_handle(const struct cgroup_cache *cc, uint64_t key)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;
	const struct cgroup_tree *t;
	uint64_t id = CGROUP_KEY_ID(key);
	char link[64], full[1024];
	size_t mlen;
	ssize_t n;
	int fd;

	if (CGROUP_KEY_KIND(key) == CGROUP_KIND_MNTNS) {
		snprintf(full, sizeof(full), "mnt:[%llu]", (unsigned long long)id);
		return strdup(full);
	}
	if (CGROUP_KEY_KIND(key) >= CGROUP_KIND_MNTNS)
		return NULL;
	t = &cc->trees[CGROUP_KEY_KIND(key)];
	mlen = strlen(t->mount);
	if (t->mount_fd < 0)
		return NULL;
	h.fh.handle_bytes = sizeof(id);
	h.fh.handle_type = FILEID_KERNFS;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(t->mount_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, full, sizeof(full) - 1);
	close(fd);
	if (n <= 0 || (size_t)n < mlen || memcmp(full, t->mount, mlen))
		return NULL;
	full[n] = '\0';
	return strdup(full[mlen] ? full + mlen : "/");
}

/*
 * A known cgroup this scan did not see is gone (its id is never reused); a
 * mount namespace, which no scan sees, goes when no lookup asked for it
 * since the scan before.
 */
static bool gone(const struct cgroup_entry *e, const struct cgroup_cache *cc, uint64_t now)
{
	(void)now;
	if (CGROUP_KEY_KIND(e->id) == CGROUP_KIND_MNTNS)
		return e->path && e->scan + 1 < (uint32_t)cc->scans;
	return e->path && e->scan != (uint32_t)cc->scans;
}

static void scan(struct cgroup_cache *cc)
{
	cc->last_scan_ms = now_ms();
	cc->scans++;
	for (unsigned int k = 0; k < CGROUP_KIND_MNTNS; k++) {
		char *roots[] = { cc->trees[k].mount, NULL };
		FTS *fts;
		FTSENT *ent;

		if (!roots[0][0])
			continue;
		/* physical, on this mount only: a bind mount inside is not another cgroup */
		fts = fts_open(roots, FTS_PHYSICAL | FTS_XDEV | FTS_NOCHDIR, NULL);
		while (fts && (ent = fts_read(fts)))
			if (ent->fts_info == FTS_D)
				add_dir(cc, k, ent->fts_path, ent->fts_statp);
		if (fts)
			fts_close(fts);
	}
	prune(cc, gone, 0);
}

bool cgroup_cache_refresh(struct cgroup_cache *cc)
{
	if (cc->scans && now_ms() - cc->last_scan_ms < CGROUP_RESCAN_MS)
		return false;
	scan(cc);
	return true;
}

/* Where kind's hierarchy is mounted: "" when it is not. */
static void find_mount(unsigned int kind, char *mount, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");

	mount[0] = '\0';
	if (!f)
		return;
	if (kind == CGROUP_KIND_V2)
		cgroup2_mount_parse(f, mount, len);
	else
		cgroup1_mount_parse(f, kind == CGROUP_KIND_V1_MEMORY ? "memory" : "cpu", mount, len);
	fclose(f);
}

int cgroup_cache_init(struct cgroup_cache *cc)
{
	memset(cc, 0, sizeof(*cc));
	for (unsigned int k = 0; k < CGROUP_KIND_MNTNS; k++) {
		struct cgroup_tree *t = &cc->trees[k];

		find_mount(k, t->mount, sizeof(t->mount));
		t->mount_fd = t->mount[0] ? open(t->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	}
	snprintf(cc->mount, sizeof(cc->mount), "%s", cc->trees[CGROUP_KIND_V2].mount);
	scan(cc);
	return cc->mount[0] || cc->trees[CGROUP_KIND_V1_MEMORY].mount[0] ||
	       cc->trees[CGROUP_KIND_V1_CPU].mount[0] ? 0 : -ENOENT;
}

static bool any(const struct cgroup_entry *e, const struct cgroup_cache *cc, uint64_t now)
{
	(void)e;
	(void)cc;
	(void)now;
	return true;
}

void cgroup_cache_free(struct cgroup_cache *cc)
{
	prune(cc, any, 0);
	free(cc->buckets);
	for (unsigned int k = 0; k < CGROUP_KIND_MNTNS; k++)
		if (cc->trees[k].mount_fd >= 0 && cc->trees[k].mount[0])
			close(cc->trees[k].mount_fd);
	memset(cc, 0, sizeof(*cc));
}

static bool expired(const struct cgroup_entry *e, const struct cgroup_cache *cc, uint64_t now)
{
	(void)cc;
	return !e->path && e->expires_ms <= now;
}

/* Remember id as unknown; past the bound, the expired ones go first, then all. */
static void remember_miss(struct cgroup_cache *cc, uint64_t id, uint64_t now)
{
	struct cgroup_entry *e = find(cc, id);

	if (!e && cc->negative >= CGROUP_NEGATIVE_MAX) {
		prune(cc, expired, now);
		if (cc->negative >= CGROUP_NEGATIVE_MAX)
			prune(cc, expired, UINT64_MAX);
	}
	if (!e && (e = add(cc, id)))
		cc->negative++;
	if (e)
		e->expires_ms = now + CGROUP_NEGATIVE_MS;
}

const char *cgroup_path(struct cgroup_cache *cc, uint64_t id)
{
	struct cgroup_entry *e = find(cc, id);
	char *path = NULL;
	uint64_t now;

	if (e && e->path) {
		e->scan = (uint32_t)cc->scans;	/* a mount namespace still in use */
		return e->path;
	}
	cc->misses++;
	now = now_ms();
	if (e && e->expires_ms > now)
		return NULL;	/* known to be unknown, for now */
	if (!e && (path = path_by_handle(cc, id)) && (e = add(cc, id))) {
		e->path = path;
		e->scan = (uint32_t)cc->scans;
		cc->entries++;
		return e->path;
	}
	free(path);
	if (cgroup_cache_refresh(cc)) {
		e = find(cc, id);
		if (e && e->path)
			return e->path;
	}
	remember_miss(cc, id, now);
	return NULL;
}

void cgroup_cache_each(const struct cgroup_cache *cc,
		       void (*fn)(uint64_t id, const char *path, void *arg), void *arg)
{
	for (size_t i = 0; i < cc->nr_buckets; i++)
		for (const struct cgroup_entry *e = cc->buckets[i]; e; e = e->next)
			if (e->path)
				fn(e->id, e->path, arg);
}

/* The key of path under kind's mount; path is relative to it. */
static int key_under(const struct cgroup_cache *cc, unsigned int kind, const char *rel,
		     uint64_t *key)
{
	char full[1024];
	struct stat st;

	snprintf(full, sizeof(full), "%s/%s", cc->trees[kind].mount, rel[0] == '/' ? rel + 1 : rel);
	if (stat(full, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	*key = CGROUP_KEY(kind, st.st_ino);
	return 0;
}

int cgroup_keys_of(const struct cgroup_cache *cc, const char *path, uint64_t *keys, int max)
{
	unsigned long long ns;
	int n = 0, err = -ENOENT, e;
	char end;

	if (sscanf(path, "mnt:[%llu%c", &ns, &end) == 2 && end == ']') {
		if (!ns || max < 1)
			return -EINVAL;
		keys[0] = CGROUP_KEY(CGROUP_KIND_MNTNS, ns);
		return 1;
	}
	/* a path under one mount: that hierarchy alone */
	for (unsigned int k = 0; k < CGROUP_KIND_MNTNS; k++) {
		size_t mlen = strlen(cc->trees[k].mount);

		if (mlen && !strncmp(path, cc->trees[k].mount, mlen) &&
		    (path[mlen] == '/' || !path[mlen]))
			return max < 1 ? -EINVAL : (e = key_under(cc, k, path + mlen, keys)) ? e : 1;
	}
	for (unsigned int k = 0; k < CGROUP_KIND_MNTNS && n < max; k++) {
		if (!cc->trees[k].mount[0])
			continue;
		e = key_under(cc, k, path, &keys[n]);
		if (!e)
			n++;
		else if (err == -ENOENT)
			err = e;	/* a reason other than "not there" says more */
	}
	return n ? n : err;
}

uint64_t cgroup_host_mnt_ns(void)
{
	struct stat st;

	return stat("/proc/1/ns/mnt", &st) ? 0 : st.st_ino;
}
