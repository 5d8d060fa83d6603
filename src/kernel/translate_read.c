// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

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
