/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVAS_PRIVILEGES_H
#define KVAS_PRIVILEGES_H

#include <stdbool.h>

/*
 * kvas loads BPF tracing programs (CAP_BPF, CAP_PERFMON) and reads physical
 * addresses from /proc/iomem and pagemap (CAP_SYS_ADMIN). Returns true when
 * all three are effective; else names the missing ones in buf.
 */
bool have_kvas_privileges(char *missing, int len);

#endif
