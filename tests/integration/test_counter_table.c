// SPDX-License-Identifier: GPL-2.0
/*
 * The table of per-process counters (include/task_counters.h) against what
 * is made from it elsewhere, and could drift: the counting object's struct
 * vm_task_stats as clang laid it out (its BTF), which userspace reads from
 * the map byte for byte, the other structs both event objects publish, and
 * top's JSON schema, which must describe every key the rows carry. Needs
 * no root: it reads files of the tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <bpf/btf.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"
#include "vm_counters.h"

/* A member of the userspace struct, where the compiler put it. */
struct member {
	const char *name;
	size_t offset, size;
};

#define TC_MEMBER(f, ...)							\
	{ #f, offsetof(struct vm_task_stats, f), sizeof(((struct vm_task_stats *)0)->f) },
static const struct member members[] = {
	TASK_COUNTERS(TC_MEMBER)
	{ "comm", offsetof(struct vm_task_stats, comm), sizeof(((struct vm_task_stats *)0)->comm) },
};
#undef TC_MEMBER

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct btf *object_btf(const char *object, char *path, size_t len)
{
	struct btf *btf;

	snprintf(path, len, "%s/%s.bpf.o", build_dir(), object);
	btf = btf__parse_elf(path, NULL);
	if (!btf)
		fail_msg("%s: cannot read its BTF (make builds it)", path);
	return btf;
}

static void test_bpf_layout(void **state)
{
	char path[PATH_MAX];
	const struct btf_member *m;
	const struct btf_type *t;
	struct btf *btf;
	int id;

	(void)state;
	btf = object_btf("vm_count", path, sizeof(path));
	id = btf__find_by_name_kind(btf, "vm_task_stats", BTF_KIND_STRUCT);
	assert_true(id > 0);
	t = btf__type_by_id(btf, id);
	if (btf_vlen(t) != N(members))
		fail_msg("the BPF struct has %u members, userspace's %zu", btf_vlen(t), N(members));
	assert_int_equal(t->size, sizeof(struct vm_task_stats));
	m = btf_members(t);
	for (size_t i = 0; i < N(members); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);
		long long size = btf__resolve_size(btf, m->type);

		if (strcmp(name, members[i].name) || btf_member_bit_offset(t, i) != members[i].offset * 8 ||
		    size != (long long)members[i].size)
			fail_msg("member %zu: BPF has %s at %u bytes, %lld long; userspace %s at %zu, %zu long",
				 i, name, btf_member_bit_offset(t, i) / 8, size, members[i].name,
				 members[i].offset, members[i].size);
	}
	btf__free(btf);
}

/*
 * What each event object publishes, and userspace reads byte for byte, is
 * the size userspace has for it: a struct that grew on one side only fails.
 */
static void test_published_sizes(void **state)
{
	static const struct { const char *object, *type; size_t size; } published[] = {
		{ "vm_count", "vm_counters", sizeof(struct vm_counters) },
		{ "vm_count", "vm_cpu_counts", sizeof(struct vm_cpu_counts) },
		{ "vm_count", "vm_task_key", sizeof(struct vm_task_key) },
		{ "vm_count", "vm_send_path", sizeof(struct vm_send_path) },
		{ "vm_count", "vm_knobs", sizeof(struct vm_knobs) },
		{ "vm_stream", "vm_counters", sizeof(struct vm_counters) },
		{ "vm_stream", "vm_send_path", sizeof(struct vm_send_path) },
		{ "vm_stream", "vm_knobs", sizeof(struct vm_knobs) },
	};
	char path[PATH_MAX];

	(void)state;
	for (size_t i = 0; i < N(published); i++) {
		struct btf *btf = object_btf(published[i].object, path, sizeof(path));
		int id = btf__find_by_name_kind(btf, published[i].type, BTF_KIND_STRUCT);

		if (id <= 0)
			fail_msg("%s: no struct %s in its BTF", path, published[i].type);
		if (btf__resolve_size(btf, id) != (long long)published[i].size)
			fail_msg("%s: struct %s is %lld bytes, userspace's %zu", path,
				 published[i].type, (long long)btf__resolve_size(btf, id),
				 published[i].size);
		btf__free(btf);
	}
}

/* Every JSON key of the table is a described, required property of a row's rates. */
static void test_schema_keys(void **state)
{
	char path[PATH_MAX];
	json_error_t err;
	json_t *schema, *rates, *props, *required;
	int keys = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/schema/top.schema.json", source_dir());
	schema = json_load_file(path, 0, &err);
	if (!schema)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	rates = json_object_get(json_object_get(schema, "$defs"), "rates");
	props = json_object_get(rates, "properties");
	required = json_object_get(rates, "required");
	assert_non_null(props);
	assert_non_null(required);
#define TC_SCHEMA(f, json, ...)								\
	if ((json)[0]) {								\
		json_t *p = json_object_get(props, json);				\
		bool listed = false;							\
		size_t k;								\
		json_t *v;								\
											\
		keys++;									\
		if (!p || !json_is_string(json_object_get(p, "description")))		\
			fail_msg("%s: %s is not described in %s", #f, json, path);	\
		json_array_foreach(required, k, v)					\
			listed |= json_is_string(v) && !strcmp(json_string_value(v), json); \
		if (!listed)								\
			fail_msg("%s: %s is not required in %s", #f, json, path);	\
	}
	TASK_COUNTERS(TC_SCHEMA)
#undef TC_SCHEMA
	assert_true(keys > 0);
	json_decref(schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bpf_layout),
		cmocka_unit_test(test_published_sizes),
		cmocka_unit_test(test_schema_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
