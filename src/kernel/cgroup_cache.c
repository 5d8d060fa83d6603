// SPDX-License-Identifier: GPL-2.0
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup_cache.h"
#include "cgroups.h"
/* nftw has no user pointer: the scan runs one at a time. */
static struct cgroup_cache *scanning;

static int add_entry(const char *fpath, const struct stat *sb, int type,
		     struct FTW *ftw)
{
	struct cgroup_cache *cc = scanning;
	const char *rel = fpath + strlen(cc->mount);

	(void)ftw;
	if (type != FTW_D)
		return 0;
	if (cc->nr == cc->cap) {
		size_t cap = cc->cap ? cc->cap * 2 : 256;
		struct cgroup_entry *e = realloc(cc->entries, cap * sizeof(*e));

		if (!e)
			return -1;
		cc->entries = e;
		cc->cap = cap;
	}
	cc->entries[cc->nr].id = sb->st_ino;
	cc->entries[cc->nr].path = strdup(*rel ? rel : "/");
	if (!cc->entries[cc->nr].path)
		return -1;
	cc->nr++;
	return 0;
}

static void clear(struct cgroup_cache *cc)
{
	for (size_t i = 0; i < cc->nr; i++)
		free(cc->entries[i].path);
	cc->nr = 0;
}

static void scan(struct cgroup_cache *cc)
{
	clear(cc);
	cc->last_scan = time(NULL);
	if (!cc->mount[0])
		return;
	scanning = cc;
	nftw(cc->mount, add_entry, 32, FTW_PHYS | FTW_MOUNT);
	scanning = NULL;
}

int cgroup_cache_init(struct cgroup_cache *cc)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");

	memset(cc, 0, sizeof(*cc));
	if (f) {
		cgroup2_mount_parse(f, cc->mount, sizeof(cc->mount));
		fclose(f);
	}
	scan(cc);
	return cc->mount[0] ? 0 : -ENOENT;
}

void cgroup_cache_free(struct cgroup_cache *cc)
{
	clear(cc);
	free(cc->entries);
	memset(cc, 0, sizeof(*cc));
}

static const char *lookup(const struct cgroup_cache *cc, uint64_t id)
{
	for (size_t i = 0; i < cc->nr; i++)
		if (cc->entries[i].id == id)
			return cc->entries[i].path;
	return NULL;
}

const char *cgroup_path(struct cgroup_cache *cc, uint64_t id)
{
	const char *p = lookup(cc, id);

	if (p || time(NULL) == cc->last_scan)
		return p;
	scan(cc);
	return lookup(cc, id);
}

int cgroup_id_of(const struct cgroup_cache *cc, const char *path, uint64_t *id)
{
	char full[1024];
	struct stat st;

	if (!cc->mount[0])
		return -ENOENT;
	if (!strncmp(path, cc->mount, strlen(cc->mount)))
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%s/%s", cc->mount, path[0] == '/' ? path + 1 : path);
	if (stat(full, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	*id = st.st_ino;
	return 0;
}
