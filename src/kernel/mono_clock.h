/* SPDX-License-Identifier: GPL-2.0 */
/* One clock for intervals: CLOCK_MONOTONIC, the clock of task->start_time too. */
#ifndef KVAS_MONO_CLOCK_H
#define KVAS_MONO_CLOCK_H

#include <stdint.h>

uint64_t monotonic_ns(void);

#endif
