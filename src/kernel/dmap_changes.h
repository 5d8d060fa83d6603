/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attribution of direct-map changes: hooks on the page-attribute and
 * set_direct_map_* functions, by fentry or kprobe, whichever loads.
 */
#ifndef KVAS_DMAP_CHANGES_H
#define KVAS_DMAP_CHANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dmap_shared.h"

struct dmap_changes_bpf;

struct dmap_changes {
	struct dmap_changes_bpf *skel;
	const char *method;		/* "fentry" or "kprobe" once attached */
};

/*
 * Attach; on failure fill why with the reason attribution is unavailable
 * (both kinds of probe tried) and return -errno. kc may be NULL.
 */
struct kconfig;
int dmap_changes_open(struct dmap_changes *dc, const struct kconfig *kc, char *why,
		      size_t len);
void dmap_changes_close(struct dmap_changes *dc);
int dmap_changes_ringbuf_fd(struct dmap_changes *dc);
uint64_t dmap_changes_lost(struct dmap_changes *dc);

/*
 * One reader of what the live mode shows, into ev: kernel faults in the
 * direct map from the streaming object's buffer faults_fd, and the changes when dc is
 * attached. Read it with ring_buffer_drain() and free it with
 * ring_buffer_close() (bpf_setup.h); NULL with errno.
 */
struct dmap_events;
struct ring_buffer;
struct ring_buffer *dmap_events_reader(struct dmap_changes *dc, int faults_fd,
				       struct dmap_events *ev);

#endif
