// SPDX-License-Identifier: GPL-2.0
/* Container naming: every common runtime's cgroup path to runtime, id and pod. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "containers.h"

#define ID "4f1c2d3e4b5a69788776655443322110ffeeddccbbaa99887766554433221100"
#define UID "0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9"
#define UID_ "0a1b2c3d_4e5f_4071_8293_a4b5c6d7e8f9"

static void expect(const char *path, const char *runtime, const char *id,
		   const char *pod, const char *label)
{
	struct container_ref c;
	char buf[128];

	assert_true(container_parse(path, &c));
	assert_string_equal(c.runtime, runtime);
	assert_string_equal(c.id, id);
	assert_string_equal(c.pod_uid, pod);
	assert_string_equal(container_label(&c, buf, sizeof(buf)), label);
}

static void test_runtimes(void **state)
{
	(void)state;
	expect("/system.slice/docker-" ID ".scope", "docker", ID, "", "docker:4f1c2d3e4b5a");
	expect("/docker/" ID, "docker", ID, "", "docker:4f1c2d3e4b5a");
	expect("/machine.slice/libpod-" ID ".scope", "podman", ID, "", "podman:4f1c2d3e4b5a");
	expect("/default/" ID, "containerd", ID, "", "containerd:4f1c2d3e4b5a");
	expect("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	       ".slice/crio-" ID ".scope", "cri-o", ID, UID, "cri-o:4f1c2d3e4b5a pod:" UID);
	expect("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
	       ".slice/cri-containerd-" ID ".scope", "containerd", ID, UID,
	       "containerd:4f1c2d3e4b5a pod:" UID);
	/* Guaranteed QoS has no QoS level in the path */
	expect("/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID ".scope",
	       "cri-o", ID, UID, "cri-o:4f1c2d3e4b5a pod:" UID);
	expect("/kubepods/burstable/pod" UID "/" ID, "kubernetes", ID, UID,
	       "kubernetes:4f1c2d3e4b5a pod:" UID);
	expect("/kubepods/pod" UID "/" ID, "kubernetes", ID, UID,
	       "kubernetes:4f1c2d3e4b5a pod:" UID);
	/* a pod's own cgroup, no container below it named */
	expect("/kubepods/besteffort/pod" UID, "kubernetes", "", UID, "pod:" UID);
}

static void test_inside_and_outside(void **state)
{
	struct container_ref c;

	(void)state;
	/* a container's own sub-cgroups are the container's */
	expect("/system.slice/docker-" ID ".scope/init.scope", "docker", ID, "",
	       "docker:4f1c2d3e4b5a");
	assert_false(container_parse("/user.slice/user-0.slice/session-1.scope", &c));
	assert_false(container_parse("/", &c));
	assert_false(container_parse("", &c));
	/* not a full id: a conmon scope, a short hex name, upper case */
	assert_false(container_parse("/machine.slice/libpod-conmon-" ID ".scope", &c));
	assert_false(container_parse("/docker/4f1c2d3e4b5a", &c));
	assert_false(container_parse("/system.slice/docker-4F1C2D3E4B5A69788776655443322110FFEEDDCCBBAA99887766554433221100.scope", &c));
	/* "pod" elsewhere than kubepods is not a pod */
	assert_false(container_parse("/pod" UID, &c));
	assert_true(container_parse("/k8s.io/" ID, &c));
	assert_string_equal(c.ns, "k8s.io");
}

static void test_matches(void **state)
{
	struct container_ref c;

	(void)state;
	assert_true(container_parse("/docker/" ID, &c));
	assert_true(container_matches(&c, "4f1c"));
	assert_true(container_matches(&c, ID));
	assert_false(container_matches(&c, "4f1d"));
	assert_false(container_matches(&c, ""));
	assert_false(container_matches(&c, ID "0"));
}

/* --container: 4 to 64 hex digits each, repeated or comma-separated. */
static void test_prefixes(void **state)
{
	struct container_prefixes cp = { 0 };

	(void)state;
	assert_int_equal(container_prefixes_add(&cp, "4F1C"), 0);
	assert_string_equal(cp.p[0], "4f1c");
	assert_int_equal(container_prefixes_add(&cp, "abcd12,ffff"), 0);
	assert_int_equal(cp.n, 3);
	assert_true(container_prefixes_match(&cp, "/system.slice/docker-" ID ".scope"));
	assert_true(container_prefixes_match(&cp, "/docker/" ID "/init"));
	assert_false(container_prefixes_match(&cp, "/docker"));
	assert_false(container_prefixes_match(&cp, "/kubepods/burstable/pod" UID));
	cp.n = 0;
	assert_int_equal(container_prefixes_add(&cp, "4f1"), -1);
	assert_int_equal(container_prefixes_add(&cp, "4f1g"), -1);
	assert_int_equal(container_prefixes_add(&cp, "4f1c,"), -1);
	assert_int_equal(container_prefixes_add(&cp, ""), -1);
	assert_int_equal(container_prefixes_add(&cp, ID "0"), -1);
	cp.n = CONTAINER_PREFIXES_MAX;
	assert_int_equal(container_prefixes_add(&cp, "4f1c"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runtimes),
		cmocka_unit_test(test_inside_and_outside),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
