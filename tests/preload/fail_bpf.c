// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for the tests: makes kvas's batch reads of one BPF map
 * fail, as a kernel could, without a line of test code in kvas. libbpf
 * calls syscall(__NR_bpf, ...); this syscall() passes every call through
 * but BPF_MAP_LOOKUP_BATCH and BPF_MAP_LOOKUP_AND_DELETE_BATCH on the map
 * named $KVAS_FAIL_MAP, which fail with errno $KVAS_FAIL_ERRNO (default
 * EIO) once $KVAS_FAIL_AFTER (default 0) of them have passed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/syscall.h>

typedef long (*syscall_fn)(long nr, ...);

static syscall_fn real_syscall(void)
{
	static syscall_fn fn;

	if (!fn)
		fn = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
	return fn;
}

/* Is fd the BPF map the test named? */
static bool is_target(int fd, const char *name)
{
	struct bpf_map_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (unsigned long)&info;
	if (real_syscall()(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)))
		return false;
	return !strncmp(info.name, name, sizeof(info.name));
}

static bool should_fail(long cmd, const union bpf_attr *attr)
{
	static long passed;
	const char *name = getenv("KVAS_FAIL_MAP");
	const char *after = getenv("KVAS_FAIL_AFTER");

	if (!name || (cmd != BPF_MAP_LOOKUP_BATCH && cmd != BPF_MAP_LOOKUP_AND_DELETE_BATCH))
		return false;
	if (!is_target(attr->batch.map_fd, name))
		return false;
	return passed++ >= (after ? atol(after) : 0);
}

long syscall(long nr, ...)
{
	long a[6];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == __NR_bpf && should_fail(a[0], (const union bpf_attr *)a[1])) {
		const char *e = getenv("KVAS_FAIL_ERRNO");

		errno = e ? atoi(e) : EIO;
		return -1;
	}
	return real_syscall()(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
