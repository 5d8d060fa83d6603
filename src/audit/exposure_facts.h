/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the running system exposes to an unprivileged process, as kvas audit
 * judges it: the sysctls behind it, what a child running as that user could
 * read or do, the kernel notes, the CPU bug files. kernel/exposure.c reads
 * them; the audit checks only judge this record.
 */
#ifndef KVAS_EXPOSURE_FACTS_H
#define KVAS_EXPOSURE_FACTS_H

#include <stdbool.h>
#include <stddef.h>
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

/* /proc/sys/kernel/<name> */
enum exposure_sysctl {
	SYSCTL_KPTR_RESTRICT,
	SYSCTL_DMESG_RESTRICT,
	SYSCTL_PERF_EVENT_PARANOID,
	SYSCTL_UNPRIVILEGED_BPF_DISABLED,
	SYSCTL_KEXEC_LOAD_DISABLED,
	NR_SYSCTLS,
};

/* One file of /sys/devices/system/cpu/vulnerabilities. */
struct cpu_vuln {
	char name[64];
	char text[400];			/* its first line, or "unreadable" */
};

struct exposure_facts {
	struct {
		const char *name;
		long value;		/* when err is 0 */
		int err;		/* 0: read; ENOENT: the kernel has none; else unreadable */
	} sysctl[NR_SYSCTLS];

	uid_t uid;			/* the unprivileged user probed as */
	gid_t gid;
	int unpriv_err;			/* 0, or -errno: no child ran as uid */
	struct unpriv_view unpriv;

	unsigned char *notes;		/* /sys/kernel/notes as root reads it */
	size_t notes_len;		/* 0: nothing read */
	int notes_err;			/* 0, ENOENT (no such file), or why root cannot read it */

	int kvm_err;			/* 0: /dev/kvm exists (a hypervisor); ENOENT: none */
	int smt_active;			/* SMT siblings run: 1, 0; -1 unknown */

	const char *vulns_dir;
	struct cpu_vuln *vulns;		/* by name */
	int nr_vulns;			/* -1: the directory is unreadable */
};

#endif
