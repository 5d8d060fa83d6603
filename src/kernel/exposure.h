/* SPDX-License-Identifier: GPL-2.0 */
/* Reading what kvas audit judges exposure by (audit/exposure_facts.h). */
#ifndef KVAS_EXPOSURE_H
#define KVAS_EXPOSURE_H

#include "exposure_facts.h"

/*
 * The sysctls, an unprivileged child's view as uid/gid, /sys/kernel/notes as
 * root, and the files of vulns_dir. What cannot be read is recorded in f;
 * -ENOMEM is the only error.
 */
int exposure_read(uid_t uid, gid_t gid, const char *vulns_dir, struct exposure_facts *f);
void exposure_free(struct exposure_facts *f);

#endif
