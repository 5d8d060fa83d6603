// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kernel_btf.h"

static struct btf *btf;
static bool tried;
static int load_errno;

const char *kernel_btf_custom_path(void)
{
	const char *path = getenv("KVAS_BTF");

	return path && *path ? path : NULL;
}

const struct btf *kernel_btf(void)
{
	const char *path = kernel_btf_custom_path();

	if (tried) {
		errno = load_errno;
		return btf;
	}
	tried = true;
	btf = path ? btf__parse(path, NULL) : btf__load_vmlinux_btf();
	load_errno = btf ? 0 : errno;
	return btf;
}

const struct bpf_object_open_opts *kernel_btf_open_opts(void)
{
	static struct bpf_object_open_opts opts = { .sz = sizeof(opts) };

	opts.btf_custom_path = kernel_btf_custom_path();
	return &opts;
}

bool kernel_has_tracepoint(const char *name)
{
	const struct btf *b = kernel_btf();
	char type[96];

	snprintf(type, sizeof(type), "btf_trace_%s", name);
	return b && btf__find_by_name_kind(b, type, BTF_KIND_TYPEDEF) > 0;
}

bool kernel_has_func(const char *name)
{
	const struct btf *b = kernel_btf();

	return b && btf__find_by_name_kind(b, name, BTF_KIND_FUNC) > 0;
}

static bool composite_has(const struct btf *b, const struct btf_type *t, const char *field,
			  int depth)
{
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(b, m->name_off);
		const struct btf_type *mt;

		if (name && *name) {
			if (!strcmp(name, field))
				return true;
			continue;
		}
		/* an anonymous struct or union: its members are the parent's */
		mt = btf__type_by_id(b, m->type);
		while (mt && (btf_is_mod(mt) || btf_is_typedef(mt)))
			mt = btf__type_by_id(b, mt->type);
		if (mt && btf_is_composite(mt) && depth < 4 && composite_has(b, mt, field, depth + 1))
			return true;
	}
	return false;
}

bool kernel_has_field(const char *type, const char *field)
{
	const struct btf *b = kernel_btf();
	int id;

	if (!b)
		return false;
	id = btf__find_by_name_kind(b, type, BTF_KIND_STRUCT);
	if (id <= 0)
		id = btf__find_by_name_kind(b, type, BTF_KIND_UNION);
	return id > 0 && composite_has(b, btf__type_by_id(b, id), field, 0);
}

/* A named member of composite t: its type (past modifiers and typedefs) and byte offset. */
static const struct btf_type *member_of(const struct btf *b, const struct btf_type *t,
					const char *name, size_t len, uint32_t *offset)
{
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(b, m->name_off);
		const struct btf_type *mt;

		if (!n || strlen(n) != len || strncmp(n, name, len))
			continue;
		*offset += btf_member_bit_offset(t, i) / 8;
		mt = btf__type_by_id(b, m->type);
		while (mt && (btf_is_mod(mt) || btf_is_typedef(mt)))
			mt = btf__type_by_id(b, mt->type);
		return mt;
	}
	return NULL;
}

bool kernel_field_offset(const char *type, const char *path, uint32_t *offset)
{
	const struct btf *b = kernel_btf();
	const struct btf_type *t;
	int id;

	*offset = 0;
	if (!b || (id = btf__find_by_name_kind(b, type, BTF_KIND_STRUCT)) <= 0)
		return false;
	t = btf__type_by_id(b, id);
	while (*path) {
		size_t len = strcspn(path, ".");

		if (!t || !btf_is_composite(t) || !(t = member_of(b, t, path, len, offset)))
			return false;
		path += len + (path[len] == '.');
	}
	return true;
}

/* A named member anywhere below composite t, through anonymous members, first in order. */
static bool member_deep(const struct btf *b, const struct btf_type *t, const char *field,
			uint32_t base, int depth, uint32_t *offset)
{
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(b, m->name_off);
		uint32_t at = base + btf_member_bit_offset(t, i) / 8;
		const struct btf_type *mt;

		if (name && *name) {
			if (strcmp(name, field))
				continue;
			*offset = at;
			return true;
		}
		mt = btf__type_by_id(b, m->type);
		while (mt && (btf_is_mod(mt) || btf_is_typedef(mt)))
			mt = btf__type_by_id(b, mt->type);
		if (mt && btf_is_composite(mt) && depth < 4 &&
		    member_deep(b, mt, field, at, depth + 1, offset))
			return true;
	}
	return false;
}

bool kernel_member_offset(const char *type, const char *field, uint32_t *offset)
{
	const struct btf *b = kernel_btf();
	int id;

	*offset = 0;
	if (!b || (id = btf__find_by_name_kind(b, type, BTF_KIND_STRUCT)) <= 0)
		return false;
	return member_deep(b, btf__type_by_id(b, id), field, 0, 0, offset);
}

bool kernel_struct_size(const char *type, uint32_t *size)
{
	const struct btf *b = kernel_btf();
	int id;

	if (!b || (id = btf__find_by_name_kind(b, type, BTF_KIND_STRUCT)) <= 0)
		return false;
	*size = btf__type_by_id(b, id)->size;
	return true;
}

bool kernel_enum_each(const char *enum_name,
		      void (*fn)(const char *enumerator, int64_t value, void *arg), void *arg)
{
	const struct btf *b = kernel_btf();
	const struct btf_type *t;
	int id;

	if (!b)
		return false;
	id = btf__find_by_name_kind(b, enum_name, BTF_KIND_ENUM);
	if (id <= 0)
		id = btf__find_by_name_kind(b, enum_name, BTF_KIND_ENUM64);
	if (id <= 0)
		return false;
	t = btf__type_by_id(b, id);
	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t);

		for (int i = 0; i < btf_vlen(t); i++, e++)
			fn(btf__name_by_offset(b, e->name_off), e->val, arg);
	} else {
		const struct btf_enum64 *e = btf_enum64(t);

		for (int i = 0; i < btf_vlen(t); i++, e++)
			fn(btf__name_by_offset(b, e->name_off),
			   (int64_t)btf_enum64_value(e), arg);
	}
	return true;
}

struct enum_lookup {
	const char *enumerator;
	int64_t value;
	bool found;
};

static void match_enumerator(const char *enumerator, int64_t value, void *arg)
{
	struct enum_lookup *l = arg;

	if (!l->found && !strcmp(enumerator, l->enumerator)) {
		l->value = value;
		l->found = true;
	}
}

bool kernel_enum_value(const char *enum_name, const char *enumerator, int64_t *value)
{
	struct enum_lookup l = { .enumerator = enumerator };

	if (!kernel_enum_each(enum_name, match_enumerator, &l) || !l.found)
		return false;
	*value = l.value;
	return true;
}
