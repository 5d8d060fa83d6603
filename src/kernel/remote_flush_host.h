/* SPDX-License-Identifier: GPL-2.0 */
/* What the running host says of its remote TLB flushes, and its TLB interrupts. */
#ifndef KVAS_REMOTE_FLUSH_HOST_H
#define KVAS_REMOTE_FLUSH_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "remote_flush.h"

/*
 * Read once, before kvas attaches anything (the probe's requests are no
 * one's): the probe (src/kernel/flush_probe.c, a few milliseconds), CPUID,
 * kallsyms, pv_ops and x86_hyper_type where readable, the boot log.
 */
void remote_flush_host_read(struct remote_flush_host *h);
/* The TLB line of /proc/interrupts summed over every CPU; false without one. */
bool tlb_interrupts_read(uint64_t *total);

#endif
