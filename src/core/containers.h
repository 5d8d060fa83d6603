/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which container a cgroup v2 path belongs to, by the naming each runtime
 * gives its cgroups. Pure: the caller has the path (src/kernel/cgroup_cache.c).
 *
 *   Docker, systemd driver     /system.slice/docker-<id>.scope
 *   Docker, cgroupfs driver    /docker/<id>
 *   Podman                     /machine.slice/libpod-<id>.scope
 *   containerd (ctr, nerdctl)  /<namespace>/<id>
 *   Kubernetes, systemd driver /kubepods.slice/kubepods-<qos>.slice/
 *                                kubepods-<qos>-pod<uid, '_' for '-'>.slice/
 *                                {crio,cri-containerd,docker}-<id>.scope
 *   Kubernetes, cgroupfs       /kubepods/<qos>/pod<uid>/<id>  (runtime not in the path)
 *
 * <id> is the runtime's container id: 64 hex digits for all of them.
 */
#ifndef KVAS_CONTAINERS_H
#define KVAS_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>

#define CONTAINER_ID_LEN	64
#define CONTAINER_SHORT_LEN	12	/* as `docker ps` and `crictl ps` show */
#define POD_UID_LEN		36	/* 8-4-4-4-12 */

struct container_ref {
	/* "docker", "podman", "containerd", "cri-o", or "kubernetes" when the
	 * path names a pod's container but not the runtime that runs it */
	const char *runtime;
	char id[CONTAINER_ID_LEN + 1];
	char short_id[CONTAINER_SHORT_LEN + 1];
	char pod_uid[POD_UID_LEN + 1];		/* "" outside a pod */
	char ns[64];				/* containerd's namespace, else "" */
};

/*
 * Parse path (relative to the cgroup2 mount, "/..."). True when it is in a
 * container, or in a pod's cgroup (then id is "" and pod_uid is set); the
 * outermost container wins, so a container's own sub-cgroups are its own.
 */
bool container_parse(const char *path, struct container_ref *c);

/* "docker:4f1c2d3e4b5a", "cri-o:abcdef012345 pod 0a1b...", "pod:<uid>" */
char *container_label(const struct container_ref *c, char *buf, size_t len);

/*
 * Does what the user typed (a full id, a prefix of one, or a short id) name
 * this container? Prefixes shorter than 4 hex digits are refused by the
 * caller; this only compares.
 */
bool container_matches(const struct container_ref *c, const char *id_or_prefix);

/* --container ID-OR-PREFIX, repeated or comma-separated. */
#define CONTAINER_PREFIXES_MAX	16
#define CONTAINER_PREFIX_MIN	4	/* hex digits: fewer match too much by chance */

struct container_prefixes {
	char p[CONTAINER_PREFIXES_MAX][CONTAINER_ID_LEN + 1];
	int n;
};

/*
 * Add arg's prefixes (comma-separated; upper-case hex is lowered): 0, or -1
 * when one is not 4 to 64 hex digits or there are more than the maximum.
 */
int container_prefixes_add(struct container_prefixes *cp, const char *arg);
/* Is the cgroup at path (or the container it is below) one of cp's? */
bool container_prefixes_match(const struct container_prefixes *cp, const char *path);

#endif
