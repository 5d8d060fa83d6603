/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A user address on the running system: the process whose mm to walk (a
 * thread's id names its process), the walk of it in BPF (uwalk), the line
 * of /proc/PID/maps that holds the address, and, when there is no walk, why
 * not, from what /proc says of the process.
 */
#ifndef KVAS_TRANSLATE_USER_H
#define KVAS_TRANSLATE_USER_H

#include <stdbool.h>

#include "translate_run.h"

/*
 * Walk t->addr in t->pid's address space (t->user set; pid becomes the
 * process, tid the thread given): true with t->walk and t->mapping filled,
 * whatever the walk found; false with t->error saying why there is no walk.
 * Opens tr->uw on the first call.
 */
bool translate_user_walk(struct translator *tr, struct translation *t);

#endif
