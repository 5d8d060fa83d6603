/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an unprivileged process on this host can learn about the kernel's
 * layout: probed for real in a child that drops to an unprivileged user.
 */
#ifndef KVAS_UNPRIV_H
#define KVAS_UNPRIV_H

#include <stdbool.h>
#include <sys/types.h>

enum unpriv_probe {
	UP_KALLSYMS_ADDRS,	/* /proc/kallsyms shows non-zero addresses */
	UP_DMESG,		/* syslog(2) reads the kernel log */
	UP_VMCOREINFO,		/* /sys/kernel/vmcoreinfo opens */
	UP_KCORE,		/* /proc/kcore opens */
	UP_NOTES,		/* /sys/kernel/notes reads */
	UP_PERF_KERNEL,		/* perf_event_open of a kernel-sampling event */
	UP_BPF,			/* bpf(BPF_PROG_LOAD) of a socket filter */
	UP_NR_PROBES,
};

struct unpriv_view {
	bool ran;			/* the child ran as uid/gid below */
	uid_t uid;
	gid_t gid;
	bool open[UP_NR_PROBES];	/* what it could do */
	int err[UP_NR_PROBES];		/* errno when it could not (0: ran, saw nothing) */
};

/* Fork, drop to uid/gid (and no capabilities), probe. -errno on failure. */
int unpriv_probe(uid_t uid, gid_t gid, struct unpriv_view *v);

const char *unpriv_probe_name(enum unpriv_probe p);

#endif
