/* SPDX-License-Identifier: GPL-2.0 */
/* Whether memfd_secret(2) works on this kernel, and if not, why. */
#ifndef KVAS_SECRETMEM_H
#define KVAS_SECRETMEM_H

#include <stdbool.h>
#include <stddef.h>

struct kconfig;

/* Tries the call itself; why says what stands in the way. kc may be NULL. */
bool secretmem_available(const struct kconfig *kc, char *why, size_t len);

#endif
