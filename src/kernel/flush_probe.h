/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Remote TLB flush requests that kvas causes itself, so that a short audit
 * on a quiet host still sees how the kernel carries them out.
 */
#ifndef KVAS_FLUSH_PROBE_H
#define KVAS_FLUSH_PROBE_H

/* Requests the probe asks for: a few milliseconds, even where each is a hypercall. */
#define FLUSH_PROBE_ROUNDS 500

/*
 * A child process (comm "kvas-flushprobe") with a thread reading a page on
 * a second CPU write-protects and unprotects that page rounds times: two
 * requests per round where the kernel flushes on both. 0, or -errno (one
 * CPU allowed: -ENODEV).
 */
int flush_probe_run(unsigned int rounds);

#endif
