// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksyms.h"
#include "unpriv.h"

/* Any line of kallsyms with an address other than zero. */
static int kallsyms_addrs(bool *seen)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], type, name[8];
	uint64_t addr;

	*seen = false;
	if (!f)
		return errno;
	while (!*seen && fgets(line, sizeof(line), f))
		*seen = kallsyms_line(line, &addr, &type, name, sizeof(name)) && addr;
	fclose(f);
	return 0;
}

static int opens(const char *path, bool read_one, bool *ok)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char b;

	*ok = false;
	if (fd < 0)
		return errno;
	*ok = !read_one || read(fd, &b, 1) == 1;
	close(fd);
	return *ok ? 0 : errno;
}

/* cpu-clock sampling that includes the kernel: what paranoid >= 2 forbids. */
static int perf_kernel(bool *ok)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK, .sample_period = 100000,
		.sample_type = PERF_SAMPLE_IP, .disabled = 1,
	};
	int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	*ok = fd >= 0;
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The smallest socket filter: "return 0". */
static int bpf_load(bool *ok)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = 2;
	attr.license = (uintptr_t)"GPL";
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	*ok = fd >= 0;
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static void probe_all(struct unpriv_view *v)
{
	char buf[64];
	int n;

	v->err[UP_KALLSYMS_ADDRS] = kallsyms_addrs(&v->open[UP_KALLSYMS_ADDRS]);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf));
	v->open[UP_DMESG] = n >= 0;
	v->err[UP_DMESG] = n < 0 ? errno : 0;
	v->err[UP_VMCOREINFO] = opens("/sys/kernel/vmcoreinfo", true, &v->open[UP_VMCOREINFO]);
	v->err[UP_KCORE] = opens("/proc/kcore", false, &v->open[UP_KCORE]);
	v->err[UP_NOTES] = opens("/sys/kernel/notes", true, &v->open[UP_NOTES]);
	v->err[UP_PERF_KERNEL] = perf_kernel(&v->open[UP_PERF_KERNEL]);
	v->err[UP_BPF] = bpf_load(&v->open[UP_BPF]);
}

int unpriv_probe(uid_t uid, gid_t gid, struct unpriv_view *v)
{
	int pipefd[2], status;
	pid_t pid;
	ssize_t n;

	memset(v, 0, sizeof(*v));
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (!pid) {
		struct unpriv_view c = { .uid = uid, .gid = gid };

		close(pipefd[0]);
		/* a non-root uid keeps no capabilities (no PR_SET_KEEPCAPS) */
		if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid) ||
		    geteuid() != uid)
			_exit(1);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		c.ran = true;
		probe_all(&c);
		_exit(write(pipefd[1], &c, sizeof(c)) == sizeof(c) ? 0 : 1);
	}
	close(pipefd[1]);
	n = read(pipefd[0], v, sizeof(*v));
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (n != sizeof(*v) || !v->ran) {
		memset(v, 0, sizeof(*v));
		return -EPERM;
	}
	return 0;
}
