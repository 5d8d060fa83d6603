/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas translate --read: the bytes at a translated address, read in BPF with
 * the kernel's own fault-tolerant copy, as crash's rd or drgn's read would.
 */
#ifndef KVAS_TRANSLATE_READ_H
#define KVAS_TRANSLATE_READ_H

#include <stddef.h>

#include "procfs.h"
#include "translate.h"

struct kread;

/*
 * Read up to len bytes from the translated address to the end of its 4K
 * page: kernel addresses where they are, user and physical addresses at
 * their direct-map alias. Only System RAM is read: device memory can change
 * state when read. Fills t->read_*; returns 0 or -errno (in t->read_err).
 */
int translation_read(struct kread *kr, const struct iomem *io, size_t len,
		     struct translation *t);

#endif
