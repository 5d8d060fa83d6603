// SPDX-License-Identifier: GPL-2.0
/*
 * Every CO-RE relocation of every BPF object, resolved against the BTF of
 * each kernel series kvas supports (Debian bookworm, trixie and sid, generic
 * and cloud), without loading anything: bpftool gen min_core_btf runs
 * libbpf's relocation against a vmlinux file. A field or type one of those
 * kernels lacks must be one that the BPF code guards (bpf_core_field_exists
 * and the like) and that userspace reports as unavailable: the list below.
 * A new unguarded access to something a kernel lacks fails here, long
 * before a user meets "failed to resolve CO-RE relocation" on that kernel.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define CACHE_DEFAULT "/var/cache/kvas-vm"

/* What a kernel may lack, each guarded in bpf/ and named by kvas when absent. */
static const char *const guarded[] = {
	/* mm_cpumask's home before 7.x, and since (bpf/vm_count.bpf.c) */
	"struct mm_struct.cpu_bitmap",
	"struct mm_struct___flexible.flexible_array",
	NULL,
};

struct kernel_series {
	const char *suite, *flavor;
};

static const struct kernel_series series[] = {
	{ "bookworm", "amd64" }, { "bookworm", "cloud-amd64" },
	{ "trixie", "amd64" }, { "trixie", "cloud-amd64" },
	{ "sid", "amd64" }, { "sid", "cloud-amd64" },
};

static bool is_guarded(const char *relo)
{
	for (int i = 0; guarded[i]; i++) {
		const char *p = strstr(relo, guarded[i]);
		size_t n = strlen(guarded[i]);

		/* the whole name: "x.cpu_bitmap" must not pass for "x.cpu_bitmap2" */
		if (p && (p[n] == ' ' || p[n] == '\0' || p[n] == '\n'))
			return true;
	}
	return false;
}

/* The vmlinux of one kernel series, fetched and extracted once per run. */
static int vmlinux_of(const struct kernel_series *k, char *path, size_t len)
{
	const char *cache = getenv("KVAS_VM_CACHE") ? getenv("KVAS_VM_CACHE") : CACHE_DEFAULT;
	char cmd[1024];

	snprintf(path, len, "%s/%s-%s/vmlinux", cache, k->suite, k->flavor);
	if (!access(path, R_OK))
		return 0;
	snprintf(cmd, sizeof(cmd),
		 "tests/vm/fetch-kernel %s %s %s && tests/vm/extract-vmlinux %s/%s-%s/vmlinuz %s",
		 k->suite, k->flavor, cache, cache, k->suite, k->flavor, path);
	return system(cmd) ? -1 : 0;
}

/* Relocations of OBJECT that found no target in VMLINUX, not guarded; how many. */
static int unguarded_misses(const char *vmlinux, const char *object, int *relocations)
{
	char cmd[1024], line[1024], last[1024] = "";
	int bad = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "bpftool -d gen min_core_btf %s /dev/null %s 2>&1",
		 vmlinux, object);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		/* "relo #N: <kind> [id] struct x.field ...", then its verdict */
		if (strstr(line, "relo #") && strstr(line, ": <")) {
			snprintf(last, sizeof(last), "%s", line);
			(*relocations)++;
		}
		if (strstr(line, "no matching targets found") && !is_guarded(last)) {
			printf("%s: unguarded, and not in %s: %s", object, vmlinux, last);
			bad++;
		}
	}
	if (pclose(p))
		return -1;
	return bad;
}

static void test_relocations_resolve_or_are_guarded(void **state)
{
	const struct kernel_series *k = *state;
	char vmlinux[512], pattern[4200];
	int relocations = 0, bad = 0;
	glob_t objects;

	if (vmlinux_of(k, vmlinux, sizeof(vmlinux)))
		fail_msg("cannot fetch or extract the %s %s kernel", k->suite, k->flavor);
	snprintf(pattern, sizeof(pattern), "%s/*.bpf.o", build_dir());
	assert_int_equal(glob(pattern, 0, NULL, &objects), 0);
	for (size_t i = 0; i < objects.gl_pathc; i++) {
		int n;

		/* bpftool's input before `gen object`: the same relocations again */
		if (strstr(objects.gl_pathv[i], ".tmp.bpf.o"))
			continue;
		n = unguarded_misses(vmlinux, objects.gl_pathv[i], &relocations);

		if (n < 0)
			fail_msg("bpftool gen min_core_btf failed on %s", objects.gl_pathv[i]);
		bad += n;
	}
	printf("%s %s: %d relocations checked\n", k->suite, k->flavor, relocations);
	globfree(&objects);
	/* a relocation-free object set would prove nothing */
	assert_true(relocations > 20);
	if (bad)
		fail_msg("%d relocations do not resolve on %s %s and are not guarded", bad,
			 k->suite, k->flavor);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(series) / sizeof(series[0])];
	static char names[sizeof(series) / sizeof(series[0])][64];

	for (size_t i = 0; i < sizeof(series) / sizeof(series[0]); i++) {
		snprintf(names[i], sizeof(names[i]), "core_relocations_%s_%s", series[i].suite,
			 series[i].flavor);
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(
			test_relocations_resolve_or_are_guarded, (void *)&series[i]);
		tests[i].name = names[i];
	}
	return cmocka_run_group_tests_name("CO-RE relocations on every kernel series", tests,
					   NULL, NULL);
}
