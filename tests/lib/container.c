// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container.h"

#define RUNC "/usr/sbin/runc"
#define BUSYBOX "/bin/busybox"
#define MAX_HIERARCHIES 16

static const char *const naming_names[] = {
	[NAMING_DOCKER_SYSTEMD] = "docker (systemd driver)",
	[NAMING_DOCKER_CGROUPFS] = "docker (cgroupfs driver)",
	[NAMING_PODMAN] = "podman",
	[NAMING_CONTAINERD] = "containerd",
	[NAMING_CRIO_K8S_SYSTEMD] = "cri-o under kubernetes (systemd driver)",
	[NAMING_CONTAINERD_K8S_SYSTEMD] = "containerd under kubernetes (systemd driver)",
	[NAMING_K8S_CGROUPFS] = "kubernetes (cgroupfs driver)",
};

const char *container_naming_name(enum container_naming n)
{
	return n < CONTAINER_NAMINGS ? naming_names[n] : "?";
}

int container_workload(char *path, size_t len)
{
	char self[512];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct stat st;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	snprintf(path, len, "%.480s/container-workload", dirname(self));
	if (stat(path, &st) || access(RUNC, X_OK) || access(BUSYBOX, X_OK)) {
		fprintf(stderr, "containers: need %s (make), runc and busybox-static"
			" (scripts/install-deps test)\n", path);
		return -1;
	}
	return 0;
}

/* Every mounted cgroup hierarchy, v1 and v2: their mount points. */
static int hierarchies(char mounts[MAX_HIERARCHIES][256])
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];
	int n = 0;

	while (f && n < MAX_HIERARCHIES && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - "), fstype[32];

		if (!sep || sscanf(sep + 3, "%31s", fstype) != 1 ||
		    (strcmp(fstype, "cgroup") && strcmp(fstype, "cgroup2")))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %255s", mounts[n]) == 1)
			n++;
	}
	if (f)
		fclose(f);
	return n;
}

static void random_hex(char *out, size_t digits)
{
	unsigned char b[64];

	if (getrandom(b, digits / 2, 0) != (ssize_t)(digits / 2))
		for (size_t i = 0; i < digits / 2; i++)
			b[i] = (unsigned char)rand();
	for (size_t i = 0; i < digits / 2; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[digits] = '\0';
}

/* The cgroup path each runtime gives its containers, and what kvas must call it. */
static void name_it(struct container *c)
{
	static const struct { const char *runtime, *before, *after; } plain[] = {
		[NAMING_DOCKER_SYSTEMD] = { "docker", "/system.slice/docker-", ".scope" },
		[NAMING_DOCKER_CGROUPFS] = { "docker", "/docker/", "" },
		[NAMING_PODMAN] = { "podman", "/machine.slice/libpod-", ".scope" },
		[NAMING_CONTAINERD] = { "containerd", "/default/", "" },	/* namespace "default" */
	};
	char hex[33], uid_[37];

	random_hex(c->id, 64);
	snprintf(c->short_id, sizeof(c->short_id), "%.12s", c->id);
	random_hex(hex, 32);
	snprintf(c->pod_uid, sizeof(c->pod_uid), "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
		 hex + 12, hex + 16, hex + 20);
	snprintf(uid_, sizeof(uid_), "%s", c->pod_uid);
	for (char *p = uid_; *p; p++)
		if (*p == '-')
			*p = '_';
	switch (c->naming) {
	case NAMING_CRIO_K8S_SYSTEMD:
	case NAMING_CONTAINERD_K8S_SYSTEMD: {
		bool crio = c->naming == NAMING_CRIO_K8S_SYSTEMD;

		c->runtime = crio ? "cri-o" : "containerd";
		snprintf(c->cgroup, sizeof(c->cgroup), "/kubepods.slice/kubepods-besteffort.slice/"
			 "kubepods-besteffort-pod%s.slice/%s-%s.scope", uid_,
			 crio ? "crio" : "cri-containerd", c->id);
		break;
	}
	case NAMING_K8S_CGROUPFS:
		c->runtime = "kubernetes";
		snprintf(c->cgroup, sizeof(c->cgroup), "/kubepods/burstable/pod%s/%s",
			 c->pod_uid, c->id);
		break;
	default:
		/* outside a pod: a directory or a scope named after the id */
		c->runtime = plain[c->naming].runtime;
		snprintf(c->cgroup, sizeof(c->cgroup), "%s%s%s", plain[c->naming].before, c->id,
			 plain[c->naming].after);
		break;
	}
	if (c->naming < NAMING_CRIO_K8S_SYSTEMD)
		c->pod_uid[0] = '\0';	/* not in a pod */
	if (c->pod_uid[0])
		snprintf(c->label, sizeof(c->label), "%s:%s pod:%s", c->runtime, c->short_id,
			 c->pod_uid);
	else
		snprintf(c->label, sizeof(c->label), "%s:%s", c->runtime, c->short_id);
}

/* A cgroup's directory in one hierarchy. */
static void in_hierarchy(char *out, size_t len, const char *mount, const char *rel, int rel_len)
{
	snprintf(out, len, "%.255s%.*s", mount, rel_len, rel);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * The path's directories that exist in no hierarchy yet: what to remove
 * after. (One that exists in some hierarchy only is removed where runc made it.)
 */
static void note_made(struct container *c)
{
	char mounts[MAX_HIERARCHIES][256], full[700];
	int n = hierarchies(mounts);

	c->nr_made = 0;
	for (char *s = strchr(c->cgroup + 1, '/'); ; s = strchr(s + 1, '/')) {
		size_t len = s ? (size_t)(s - c->cgroup) : strlen(c->cgroup);
		bool exists = false;

		for (int h = 0; h < n && !exists; h++) {
			in_hierarchy(full, sizeof(full), mounts[h], c->cgroup, (int)len);
			exists = is_dir(full);
		}
		if (!exists && c->nr_made < CONTAINER_MAX_MADE)
			snprintf(c->made[c->nr_made++], sizeof(c->made[0]), "%.*s", (int)len,
				 c->cgroup);
		if (!s)
			break;
	}
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	close(in);
	return close(out) || n < 0 ? -1 : 0;
}

/* Run a command to its end, its output to /dev/null: its exit status. */
static int run_quiet(const char *const *argv, const char *cwd)
{
	pid_t pid = fork();
	int st;

	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 1);
		dup2(null, 2);
		if (cwd && chdir(cwd))
			_exit(127);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A busybox root: /bin/busybox, its applets as links, and the program. */
static int make_rootfs(const struct container *c, const char *program)
{
	static const char *const applets[] = { "sh", "cat", "ls", "sleep", "ps" };
	static const char *const dirs[] = { "rootfs", "rootfs/bin", "rootfs/proc",
					    "rootfs/dev", "rootfs/sys", "rootfs/tmp" };
	char path[256];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", c->dir, dirs[i]);
		if (mkdir(path, 0755))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/rootfs/bin/busybox", c->dir);
	if (copy_file(BUSYBOX, path, 0755))
		return -1;
	for (size_t i = 0; i < sizeof(applets) / sizeof(applets[0]); i++) {
		snprintf(path, sizeof(path), "%s/rootfs/bin/%s", c->dir, applets[i]);
		if (symlink("busybox", path))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/rootfs/program", c->dir);
	return copy_file(program, path, 0755);
}

/* `runc spec`'s config.json, with our process and cgroup path. */
static int make_config(const struct container *c, const char *const *argv)
{
	const char *const spec[] = { RUNC, "spec", NULL };
	char path[256];
	json_t *cfg, *args = json_array();
	int err;

	if (run_quiet(spec, c->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/config.json", c->dir);
	cfg = json_load_file(path, 0, NULL);
	if (!cfg)
		return -1;
	json_array_append_new(args, json_string("/program"));
	for (int i = 1; argv && argv[0] && argv[i]; i++)
		json_array_append_new(args, json_string(argv[i]));
	json_object_set_new(json_object_get(cfg, "process"), "args", args);
	json_object_set_new(json_object_get(cfg, "process"), "terminal", json_false());
	json_object_set_new(json_object_get(cfg, "linux"), "cgroupsPath",
			    json_string(c->cgroup));
	err = json_dump_file(cfg, path, JSON_INDENT(2));
	json_decref(cfg);
	return err;
}

static void remove_tree(const char *dir)
{
	const char *const rm[] = { "/bin/rm", "-rf", dir, NULL };

	if (dir[0])
		run_quiet(rm, NULL);
}

static pid_t start_runc(struct container *c)
{
	int in[2], out[2];
	char bundle[128], state[128], name[32];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -1;
	snprintf(bundle, sizeof(bundle), "%s", c->dir);
	snprintf(state, sizeof(state), "%s/state", c->dir);
	snprintf(name, sizeof(name), "kvas-%.12s", c->id);
	pid = fork();
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(RUNC, "runc", "--root", state, "run", "--bundle", bundle, name, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->in = in[1];
	c->out = out[0];
	return pid;
}

/* The container's process: the one pid in its v2 (else first v1) cgroup. */
static pid_t find_pid(const struct container *c)
{
	char mounts[MAX_HIERARCHIES][256], path[800], buf[32];
	int n = hierarchies(mounts);

	for (int h = 0; h < n; h++) {
		FILE *f;

		in_hierarchy(path, sizeof(path) - 16, mounts[h], c->cgroup, (int)strlen(c->cgroup));
		strcat(path, "/cgroup.procs");
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f)) {
			fclose(f);
			return atoi(buf);
		}
		fclose(f);
	}
	return 0;
}

void container_name(struct container *c, enum container_naming n)
{
	memset(c, 0, sizeof(*c));
	c->naming = n;
	c->in = c->out = -1;
	name_it(c);
}

int container_start(struct container *c, enum container_naming n, const char *program,
		    const char *const *argv)
{
	container_name(c, n);
	return container_run(c, program, argv);
}

int container_run(struct container *c, const char *program, const char *const *argv)
{
	char line[64];

	note_made(c);
	snprintf(c->dir, sizeof(c->dir), "/tmp/kvas-ctr-XXXXXX");
	if (!mkdtemp(c->dir)) {
		c->dir[0] = '\0';
		perror("container: mkdtemp");
		return -1;
	}
	if (make_rootfs(c, program) || make_config(c, argv)) {
		fprintf(stderr, "container: cannot make the bundle in %s\n", c->dir);
		container_remove(c);
		return -1;
	}
	c->runc = start_runc(c);
	/* the program says it runs: by then runc has put it in its cgroup */
	if (c->runc <= 0 || container_read_line(c, line, sizeof(line), 20000) ||
	    strcmp(line, "ready") || !(c->pid = find_pid(c))) {
		fprintf(stderr, "container: %s did not start\n", c->cgroup);
		container_remove(c);
		return -1;
	}
	return 0;
}

int container_send(struct container *c, const char *s)
{
	size_t len = strlen(s);

	return c->in >= 0 && write(c->in, s, len) == (ssize_t)len ? 0 : -1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

int container_read_line(struct container *c, char *buf, size_t len, int timeout_ms)
{
	long end = now_ms() + timeout_ms;
	size_t n = 0;

	while (n + 1 < len) {
		struct pollfd p = { c->out, POLLIN, 0 };
		long left = end - now_ms();
		char ch;

		if (c->out < 0 || left <= 0 || poll(&p, 1, (int)left) <= 0 ||
		    read(c->out, &ch, 1) != 1)
			return -1;
		if (ch == '\n')
			break;
		buf[n++] = ch;
	}
	buf[n] = '\0';
	return 0;
}

int container_touch(struct container *c, long pages, int tries, int timeout_ms)
{
	char cmd[32], want[32], line[128];

	snprintf(cmd, sizeof(cmd), "touch %ld\n", pages);
	snprintf(want, sizeof(want), "done %ld", pages);
	for (int i = 0; i < tries; i++) {
		if (container_send(c, cmd) || container_read_line(c, line, sizeof(line), timeout_ms)) {
			fprintf(stderr, "container %s: no answer to '%.*s'\n", c->short_id,
				(int)strlen(cmd) - 1, cmd);
			return -1;
		}
		if (!strcmp(line, want))
			return 0;
		fprintf(stderr, "  container %s: %s%s\n", c->short_id, line,
			i + 1 < tries ? "; again" : "");
		if (strncmp(line, want, strlen(want)))
			return -1;	/* not the storm: an error */
	}
	return -1;
}

int container_wait(struct container *c)
{
	long end = now_ms() + 10000;
	int st = -1;

	if (c->in >= 0)
		close(c->in);
	c->in = -1;
	if (c->runc <= 0)
		return -1;
	while (waitpid(c->runc, &st, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(c->runc, SIGKILL);
			waitpid(c->runc, &st, 0);
			break;
		}
		poll(NULL, 0, 10);	/* a bounded wait for runc to end */
	}
	c->runc = 0;
	if (c->out >= 0)
		close(c->out);
	c->out = -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void container_remove(struct container *c)
{
	char mounts[MAX_HIERARCHIES][256], state[128], name[32], path[800];
	int n = hierarchies(mounts);

	if (c->runc > 0)
		container_wait(c);
	if (c->dir[0]) {
		const char *const del[] = { RUNC, "--root", state, "delete", "--force", name, NULL };

		snprintf(state, sizeof(state), "%s/state", c->dir);
		snprintf(name, sizeof(name), "kvas-%.12s", c->id);
		run_quiet(del, NULL);
	}
	/* runc removes the container's own directories; the parents stay */
	for (int h = 0; h < n; h++) {
		in_hierarchy(path, sizeof(path), mounts[h], c->cgroup, (int)strlen(c->cgroup));
		rmdir(path);
		for (int i = c->nr_made - 1; i >= 0; i--) {
			in_hierarchy(path, sizeof(path), mounts[h], c->made[i], (int)strlen(c->made[i]));
			rmdir(path);
		}
	}
	remove_tree(c->dir);
	c->dir[0] = '\0';
}

bool container_cgroups_left(const struct container *c)
{
	char mounts[MAX_HIERARCHIES][256], path[800];
	int n = hierarchies(mounts);

	for (int h = 0; h < n; h++) {
		in_hierarchy(path, sizeof(path), mounts[h], c->cgroup, (int)strlen(c->cgroup));
		if (is_dir(path))
			return true;
		for (int i = 0; i < c->nr_made; i++) {
			in_hierarchy(path, sizeof(path), mounts[h], c->made[i], (int)strlen(c->made[i]));
			if (is_dir(path))
				return true;
		}
	}
	return false;
}
