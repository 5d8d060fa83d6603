/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page and struct folio as this kernel builds them, from its BTF:
 * the offsets of the fields kvas decodes, the names of the page flags and
 * page types, and where the folio keeps its order and mapcounts (each moved
 * between releases). Nothing is read from memory here.
 */
#ifndef KVAS_PAGE_LAYOUT_PROBE_H
#define KVAS_PAGE_LAYOUT_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "page_decode.h"

/* Fill l from the kernel's BTF: false, with why, when a field decoding needs is missing. */
bool page_layout_probe(struct page_layout *l, char *why, size_t len);

#endif
