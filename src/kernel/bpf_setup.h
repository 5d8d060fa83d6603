/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lifecycle every BPF object of kvas goes through (open, configure,
 * load, attach), in one place: load and attach a skeleton with the
 * kernel's reason on failure, and read a ring buffer until told to stop.
 */
#ifndef KVAS_BPF_SETUP_H
#define KVAS_BPF_SETUP_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_object_skeleton;
struct ring_buffer;

/*
 * Load the skeleton's object, and attach its programs when attach is set:
 * 0, or the negative error with "program 'NAME': REASON" (the CO-RE
 * relocation or the verifier's last line) or the error's text in why.
 */
int bpf_skel_load(struct bpf_object_skeleton *s, bool attach, char *why, size_t len);
/* Attach a loaded skeleton's programs: 0, or the negative error and why. */
int bpf_skel_attach(struct bpf_object_skeleton *s, char *why, size_t len);

/*
 * A ring buffer over map_fd that hands each record to fn (a negative return
 * stops the read), for callers that see no libbpf header: NULL, errno set.
 */
struct ring_buffer *ring_buffer_open(int map_fd, int (*fn)(void *ctx, void *data, size_t len),
				     void *ctx);
void ring_buffer_close(struct ring_buffer *rb);

/*
 * Wait up to ms for records, then consume everything there: the BPF side
 * wakes the reader only when its buffer fills, so a poll that times out must
 * still drain. Records consumed (>= 0), or a negative error; EINTR (a
 * signal) is no error.
 */
int ring_buffer_drain(struct ring_buffer *rb, int ms);

/*
 * libbpf's messages kept for load failures and shown with -v, and the BTF
 * every probe reads: false, after one line on stderr, when KVAS_BTF names a
 * file that is not readable BTF.
 */
bool libbpf_start(bool verbose);

/* The libbpf this kvas runs with, for --version. */
const char *libbpf_version(void);

#endif
