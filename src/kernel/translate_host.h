/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hypervisor's mode explains in a translation: under PVM the guest
 * kernel runs in ring 3, so its own pages must carry US (user) for the CPU
 * to let it use them. Decided from what the kernel says, read once.
 */
#ifndef KVAS_TRANSLATE_HOST_H
#define KVAS_TRANSLATE_HOST_H

/*
 * Why kernel pages carry US on this machine, with the evidence, or NULL
 * where the kernel does not run in ring 3 (or says nothing of it).
 */
const char *kernel_ring3_reason(void);

#endif
