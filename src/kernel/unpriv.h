/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an unprivileged process on this host can learn about the kernel's
 * layout: probed for real in a child that drops to an unprivileged user.
 */
#ifndef KVAS_UNPRIV_H
#define KVAS_UNPRIV_H

#include "exposure_facts.h"	/* struct unpriv_view */

/* Fork, drop to uid/gid (and no capabilities), probe. -errno on failure. */
int unpriv_probe(uid_t uid, gid_t gid, struct unpriv_view *v);

#endif
