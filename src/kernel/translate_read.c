// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "json_util.h"
#include "kread.h"
#include "translate_read.h"
#include "x86_layout.h"

int translation_read(struct kread *kr, const struct iomem *io, size_t len,
		     struct translation *t)
{
	bool struct_page = t->method == PA_STRUCT_PAGE;
	uint64_t pa, room;

	t->read_asked = len;
	if (t->error[0] || !t->have_pa || !len || (struct_page && t->walk.status != WALK_OK))
		return 0;
	/* A struct page is read where it is stored, not where it points. */
	pa = struct_page ? t->walk.pa : t->pa;
	/*
	 * Kernel addresses are read where they are. A user page is read where
	 * the kernel reads it, in the direct map, as is a physical address.
	 */
	t->read_at = t->user || t->in_kind == TIN_PHYSICAL ? t->direct_map_alias : t->addr;
	room = X86_PAGE_SIZE - (t->read_at & (X86_PAGE_SIZE - 1));
	t->read_len = len < room ? len : room;
	if (!iomem_is_ram(io, pa, t->read_len))
		t->read_err = -EPERM;
	else
		t->read_err = kread_bytes(kr, t->read_at, t->read_buf, t->read_len);
	return t->read_err;
}

const char *translation_read_error(const struct translation *t, char *buf, size_t len)
{
	char a[24];

	switch (t->read_err) {
	case -EPERM:
		snprintf(buf, len, "not System RAM: kvas does not read device memory");
		break;
	case -EFAULT:
		snprintf(buf, len, "the kernel's read faulted: nothing is mapped at %s "
			 "(a page taken out of the direct map, or a hole)",
			 fmt_hex(t->read_at, a, sizeof(a)));
		break;
	default:
		snprintf(buf, len, "%s", strerror(-t->read_err));
	}
	return buf;
}

void translation_read_text(const struct translation *t, FILE *out)
{
	char a[24], why[160];

	if (!t->read_asked || !t->read_at)
		return;
	if (t->read_err) {
		fprintf(out, "  read          %s: %s\n", fmt_hex(t->read_at, a, sizeof(a)),
			translation_read_error(t, why, sizeof(why)));
		return;
	}
	fprintf(out, "  read          %zu bytes at %s%s\n", t->read_len,
		fmt_hex(t->read_at, a, sizeof(a)),
		t->read_len < t->read_asked ? " (to the end of its page)" : "");
	for (size_t off = 0; off < t->read_len; off += 16) {
		size_t n = t->read_len - off < 16 ? t->read_len - off : 16;

		fprintf(out, "                +%04zx ", off);
		for (size_t i = 0; i < 16; i++)
			fprintf(out, i < n ? " %02x" : "   ", t->read_buf[off + i]);
		fputs("  |", out);
		for (size_t i = 0; i < n; i++)
			fputc(isprint(t->read_buf[off + i]) ? t->read_buf[off + i] : '.', out);
		fputs("|\n", out);
	}
}

json_t *translation_read_json(const struct translation *t)
{
	json_t *o = json_object();
	char why[160], *hex;

	json_object_set_new(o, "at", json_hex(t->read_at));
	if (t->read_err) {
		json_object_set_new(o, "error", json_string(translation_read_error(t, why, sizeof(why))));
		return o;
	}
	hex = malloc(t->read_len * 2 + 1);
	if (hex) {
		for (size_t i = 0; i < t->read_len; i++)
			sprintf(hex + i * 2, "%02x", t->read_buf[i]);
		hex[t->read_len * 2] = '\0';
	}
	json_object_set_new(o, "length", json_integer((json_int_t)t->read_len));
	json_object_set_new(o, "hex", hex ? json_string(hex) : json_null());
	json_object_set_new(o, "error", json_null());
	free(hex);
	return o;
}
