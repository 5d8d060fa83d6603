/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real containers for the tests, run by Debian's runc: a busybox root
 * filesystem in a mkdtemp directory, an OCI bundle from `runc spec`, no
 * image registry. The container's cgroup is named as each runtime names
 * its containers' cgroups; runc, given the path, makes it in every mounted
 * hierarchy (cgroup v1 and v2 alike), which is exactly what a host running
 * that runtime shows kvas.
 *
 *	struct container c;
 *	const char *const argv[] = { "workload", NULL };
 *	container_start(&c, NAMING_DOCKER_SYSTEMD, "build/tests/container-workload", argv);
 *	container_read_line(&c, line, sizeof(line), 10000);	// "ready"
 *	container_send(&c, "touch 4096\n");
 *	...
 *	container_remove(&c);		// and every cgroup directory it made
 */
#ifndef KVAS_TESTS_CONTAINER_H
#define KVAS_TESTS_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

enum container_naming {
	NAMING_DOCKER_SYSTEMD,		/* /system.slice/docker-<id>.scope */
	NAMING_DOCKER_CGROUPFS,		/* /docker/<id> */
	NAMING_PODMAN,			/* /machine.slice/libpod-<id>.scope */
	NAMING_CONTAINERD,		/* /<namespace>/<id> */
	NAMING_CRIO_K8S_SYSTEMD,	/* /kubepods.slice/.../crio-<id>.scope */
	NAMING_CONTAINERD_K8S_SYSTEMD,	/* /kubepods.slice/.../cri-containerd-<id>.scope */
	NAMING_K8S_CGROUPFS,		/* /kubepods/<qos>/pod<uid>/<id> */
	CONTAINER_NAMINGS
};

#define CONTAINER_MAX_MADE 8

struct container {
	enum container_naming naming;
	char id[65], short_id[13];
	char pod_uid[37];		/* "" outside a pod */
	const char *runtime;		/* what kvas must name: "docker", "cri-o", ... */
	char label[80];			/* kvas's label: runtime:short-id[ pod:uid] */
	char cgroup[400];		/* the path in every hierarchy, "/..." */
	char dir[64];			/* mkdtemp: the bundle and runc's state */
	pid_t runc;			/* `runc run`, our child */
	pid_t pid;			/* the container's process, as the host sees it */
	int in, out;			/* its stdin (we write), its stdout (we read) */
	/* cgroup directories that did not exist, shallowest first */
	char made[CONTAINER_MAX_MADE][400];
	int nr_made;
};

const char *container_naming_name(enum container_naming n);

/*
 * The workload's path (container-workload beside the running test binary):
 * 0, or -1 saying on stderr what is missing (it, runc or busybox-static).
 */
int container_workload(char *path, size_t len);

/*
 * Start program (a static binary on the host, copied into the container's
 * root as /program) with argv, under naming's cgroup path; it runs until
 * its stdin closes. 0, or -1 with the reason on stderr (and nothing left).
 */
int container_start(struct container *c, enum container_naming n, const char *program,
		    const char *const *argv);
/* The two steps of container_start: name it (its id, pod, cgroup path), then run it. */
void container_name(struct container *c, enum container_naming n);
int container_run(struct container *c, const char *program, const char *const *argv);
/* Write s to its stdin: 0 or -1. */
int container_send(struct container *c, const char *s);
/*
 * "touch N" to tests/container/workload.c: N fresh pages faulted in, then
 * its shootdown storm. 0 once it said "done N"; a storm that could not run
 * (its thread kept off CPU 1 on a busy machine) is asked for again, tries
 * in all; -1, said on stderr, otherwise.
 */
int container_touch(struct container *c, long pages, int tries, int timeout_ms);
/* One line of its stdout (without the newline), timeout_ms at most: 0 or -1. */
int container_read_line(struct container *c, char *buf, size_t len, int timeout_ms);
/* Close its stdin and wait (10 s at most, then kill) for runc to end: its status. */
int container_wait(struct container *c);
/*
 * Wait, `runc delete --force`, then remove the cgroup directories the start
 * made, deepest first, in every hierarchy: the host as it was.
 */
void container_remove(struct container *c);
/* Is any cgroup directory the container made still there, in any hierarchy? */
bool container_cgroups_left(const struct container *c);

#endif
