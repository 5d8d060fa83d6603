// SPDX-License-Identifier: GPL-2.0
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cpuid_read.h"

#define MAX_CPUS 1024

typedef int (*cpuid_fn)(void *src, uint32_t leaf, uint32_t sub, struct cpuid_regs *r);

/* The instruction itself, on the CPU this thread is pinned to. */
static int cpuid_insn(void *src, uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	(void)src;
	__cpuid_count(leaf, sub, r->eax, r->ebx, r->ecx, r->edx);
	return 0;
}

/* The cpuid driver: the file offset is the leaf, its high half the subleaf. */
static int cpuid_dev(void *src, uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	uint32_t regs[4];
	off_t off = (off_t)(((uint64_t)sub << 32) | leaf);

	if (pread(*(int *)src, regs, sizeof(regs), off) != sizeof(regs))
		return -errno ? -errno : -EIO;
	r->eax = regs[0];
	r->ebx = regs[1];
	r->ecx = regs[2];
	r->edx = regs[3];
	return 0;
}

static int read_leaves(cpuid_fn fn, void *src, struct cpuid_tlb_leaves *l)
{
	int err = 0;

	memset(l, 0, sizeof(*l));
	err |= fn(src, 0, 0, &l->l0);
	err |= fn(src, 0x80000000, 0, &l->l80000000);
	if (err)
		return err;
	if (l->l0.eax >= 2)
		err |= fn(src, 2, 0, &l->l2);
	if (l->l0.eax >= 0x18) {
		err |= fn(src, 0x18, 0, &l->l18[0]);
		for (uint32_t s = 1; s <= l->l18[0].eax && s < CPUID_MAX_L18 && !err; s++)
			err |= fn(src, 0x18, s, &l->l18[s]);
	}
	if (l->l0.eax >= 0x1a)
		err |= fn(src, 0x1a, 0, &l->l1a);
	if (l->l80000000.eax >= 0x80000005)
		err |= fn(src, 0x80000005, 0, &l->l80000005);
	if (l->l80000000.eax >= 0x80000006)
		err |= fn(src, 0x80000006, 0, &l->l80000006);
	if (l->l80000000.eax >= 0x80000019)
		err |= fn(src, 0x80000019, 0, &l->l80000019);
	return err;
}

static bool have_type(const struct cpuid_view *v, const char *type)
{
	for (int i = 0; i < v->nr; i++)
		if (!strcmp(cpuid_core_type(&v->user[i].l1a), type))
			return true;
	return false;
}

/* The kernel's answers on the same CPUs, where the driver is already loaded (never modprobe). */
static void read_dev(struct cpuid_view *v)
{
	v->have_dev = true;
	for (int i = 0; i < v->nr && v->have_dev; i++) {
		char path[40];
		int fd, err;

		snprintf(path, sizeof(path), "/dev/cpu/%d/cpuid", v->cpu[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(v->dev_why, sizeof(v->dev_why), "%s: %s", path,
				 errno == ENOENT ? "absent (no cpuid driver loaded)" : strerror(errno));
			v->have_dev = false;
			break;
		}
		err = read_leaves(cpuid_dev, &fd, &v->dev[i]);
		close(fd);
		if (err) {
			snprintf(v->dev_why, sizeof(v->dev_why), "%s: %s", path, strerror(-err));
			v->have_dev = false;
		} else if (memcmp(&v->dev[i], &v->user[i], sizeof(v->dev[i]))) {
			v->differs = true;
		}
	}
}

int cpuid_view_read(struct cpuid_view *v)
{
	cpu_set_t old, one;
	int err = 0;

	memset(v, 0, sizeof(*v));
	if (sched_getaffinity(0, sizeof(old), &old))
		return -errno;
	/* one CPU of each core type: hybrid parts answer per type */
	for (int cpu = 0; cpu < MAX_CPUS && v->nr < CPUID_MAX_TYPES; cpu++) {
		struct cpuid_tlb_leaves l;

		if (!CPU_ISSET(cpu, &old))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one))
			continue;
		read_leaves(cpuid_insn, NULL, &l);
		if (v->nr && (have_type(v, cpuid_core_type(&l.l1a)) ||
			      !cpuid_core_type(&l.l1a)[0]))
			continue;
		v->user[v->nr] = l;
		v->cpu[v->nr++] = cpu;
		if (!cpuid_core_type(&l.l1a)[0])
			break;	/* not hybrid: one CPU says it all */
	}
	if (sched_setaffinity(0, sizeof(old), &old))
		err = -errno;
	if (!v->nr)
		return err ? err : -ENODEV;
	{
		struct cpuid_regs l1;

		cpuid_insn(NULL, 1, 0, &l1);
		v->hypervisor = l1.ecx >> 31;
	}
	read_dev(v);
	return 0;
}
