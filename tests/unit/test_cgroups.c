// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/cgroups.c: where the cgroup hierarchies are mounted, and the cgroup key kinds' names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_key.h"
#include "cgroups.h"

static void test_cgroup2_mount(void **state)
{
	static const char hybrid[] =
		"30 24 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
		"31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw\n"
		"32 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
	static const char none[] = "30 24 0:26 / / rw - ext4 /dev/vda rw\n";
	char mount[256];
	FILE *f;

	(void)state;
	f = fmemopen((void *)hybrid, sizeof(hybrid) - 1, "r");
	assert_int_equal(cgroup2_mount_parse(f, mount, sizeof(mount)), 0);
	assert_string_equal(mount, "/sys/fs/cgroup/unified");
	fclose(f);
	f = fmemopen((void *)none, sizeof(none) - 1, "r");
	assert_int_not_equal(cgroup2_mount_parse(f, mount, sizeof(mount)), 0);
	fclose(f);
}


/* The v1 hierarchies of a hybrid host, from mountinfo; and the kinds' names. */
static void test_cgroup1_mounts(void **state)
{
	static const char hybrid[] =
		"31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw\n"
		"33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
		"34 30 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		"35 30 0:31 / /sys/fs/cgroup/memory.bak rw - tmpfs memory rw,memory\n";
	char mount[256];
	FILE *f;

	(void)state;
	f = fmemopen((void *)hybrid, sizeof(hybrid) - 1, "r");
	assert_int_equal(cgroup1_mount_parse(f, "memory", mount, sizeof(mount)), 0);
	assert_string_equal(mount, "/sys/fs/cgroup/memory");
	rewind(f);
	assert_int_equal(cgroup1_mount_parse(f, "cpu", mount, sizeof(mount)), 0);
	assert_string_equal(mount, "/sys/fs/cgroup/cpu,cpuacct");
	rewind(f);
	/* "cpu" is a whole word of the list: "cpuset" is not it */
	assert_int_equal(cgroup1_mount_parse(f, "cpuset", mount, sizeof(mount)), -ENOENT);
	rewind(f);
	assert_int_equal(cgroup1_mount_parse(f, "pids", mount, sizeof(mount)), -ENOENT);
	fclose(f);
	assert_string_equal(cgroup_kind_name(CGROUP_KIND_V2), "cgroup2");
	assert_string_equal(cgroup_kind_name(CGROUP_KIND_V1_MEMORY), "cgroup1:memory");
	assert_string_equal(cgroup_kind_name(CGROUP_KIND_V1_CPU), "cgroup1:cpu");
	assert_string_equal(cgroup_kind_name(CGROUP_KIND_MNTNS), "mntns");
	assert_string_equal(cgroup_kind_name(CGROUP_NR_KINDS), "unknown");
	assert_int_equal(CGROUP_KEY_KIND(CGROUP_KEY(CGROUP_KIND_V1_CPU, 35)), CGROUP_KIND_V1_CPU);
	assert_int_equal(CGROUP_KEY_ID(CGROUP_KEY(CGROUP_KIND_V1_CPU, 35)), 35);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup2_mount),
		cmocka_unit_test(test_cgroup1_mounts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
