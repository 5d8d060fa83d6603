/* SPDX-License-Identifier: GPL-2.0 */
/* translate --page: a decoded struct page as text and as JSON. */
#ifndef KVAS_PAGE_PRINT_H
#define KVAS_PAGE_PRINT_H

#include <stdio.h>
#include <jansson.h>

#include "page_decode.h"

void page_text(const struct page_facts *pf, FILE *out);
json_t *page_json(const struct page_facts *pf);

#endif
