/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas.data, the file kvas record writes and kvas report reads.
 *
 * Little endian. A header: the magic "KVASDATA", u16 major, u16 minor
 * version. Then records, each: u32 type (KD_*), u32 payload length, the
 * payload. A reader skips a type it does not know (a newer minor version
 * added it) and refuses a newer major version. The last record is KD_END;
 * a file without it was cut short (kvas record was killed, or the disk
 * filled): the reader says so, and reports what came before.
 *
 * Strings in payloads are u32 length + bytes (no NUL); the length
 * 0xffffffff stands for an absent (NULL) string. Every length is
 * checked against the record's end: a file that lies about a length is
 * refused with the offset of the record, never read past.
 *
 * Meta keys kvas record writes: kvas_version, kernel_release, hostname,
 * machine ("x86_64"), command (record's own command line), target ("-a",
 * "-p 123", "-- make -j2"), events ("fault-user,fault-kernel,tlb-flush"),
 * sample_every, freq, stacks ("kernel,user" or "none"), started_at
 * (ISO 8601, UTC), mono_start_ns and boot_start_ns (CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME read together at the start), duration_ns,
 * page_offset_base, vmalloc_base, vmemmap_base, kernel_text, phys_base,
 * paging_levels (hex addresses "0xffff888000000000", or "unknown"),
 * events_seen, sampled_away, dropped (ring buffer full), translated,
 * exit_status (with -- COMMAND), tlb_reasons (the kernel's enum
 * tlb_flush_reason from BTF, "0=TLB_FLUSH_ON_TASK_SWITCH,1=TLB_REMOTE_SHOOTDOWN,...":
 * events carry reason numbers, which kvas report names by it),
 * dmap_changes (since 1.1: how direct-map changes were hooked, "fentry" or
 * "kprobe", or "unavailable: WHY" in the kernel's words), and
 * dmap_changes_lost (their ring buffer was full).
 */
#ifndef KVAS_KVAS_DATA_H
#define KVAS_KVAS_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "recording.h"

#define KD_MAGIC "KVASDATA"
#define KD_MAJOR 1
#define KD_MINOR 1

/*
 * The most frames (nr_kernel + nr_user) a stack record holds: the reader
 * refuses more, the writer keeps the leaf-most and marks the stack cut.
 */
#define KD_MAX_STACK_FRAMES 512
/* A string's length that stands for an absent (NULL) string. */
#define KD_ABSENT_STRING UINT32_MAX

enum kd_record_type {
	KD_META = 1,
	KD_EVENT,
	KD_STACK,		/* its index is its order among the file's stacks */
	KD_FRAME,
	KD_PROCESS,
	KD_THREAD,
	KD_CGROUP,
	KD_MAPPING,
	KD_END,
	KD_DMAP_CHANGE,		/* since 1.1 */
};

struct kd_writer {
	FILE *f;
	size_t nr_stacks;	/* written so far: the next stack's index */
	int err;		/* the first write error (negative errno), sticky */
};

/* Each returns 0, or the writer's first (negative) error. */
int kd_write_begin(struct kd_writer *w, FILE *f);
int kd_write_meta(struct kd_writer *w, const char *key, const char *value);
int kd_write_event(struct kd_writer *w, const struct rec_event *e);
/* Write a stack: its index (what events refer to) in *index. */
int kd_write_stack(struct kd_writer *w, const struct rec_stack *s, uint32_t *index);
int kd_write_frame(struct kd_writer *w, const struct rec_frame *f);
int kd_write_process(struct kd_writer *w, const struct rec_process *p);
int kd_write_thread(struct kd_writer *w, const struct rec_thread *t);
int kd_write_cgroup(struct kd_writer *w, const struct rec_cgroup *c);
int kd_write_mapping(struct kd_writer *w, const struct rec_mapping *m);
/* A direct-map change; its stack, when it has one, written before it. */
int kd_write_dmap_change(struct kd_writer *w, const struct rec_dmap_change *c);
/* The closing record, then a flush: 0, or the first error. */
int kd_write_end(struct kd_writer *w);

/*
 * Read a whole file into r (indexed). 0; 1 when the file was cut short
 * (no KD_END, or a last record the file's end cuts: r holds the whole
 * records before, and why says so); or -1 with why set ("not a kvas.data
 * file", "version 2.0 is newer than this kvas reads", "record at offset
 * N (meta): a string's length M runs past the record's end") and r empty.
 */
int kd_read(FILE *f, struct recording *r, char *why, size_t len);

/* The same from memory (the fuzz target's entry). */
int kd_read_buffer(const void *data, size_t size, struct recording *r, char *why, size_t len);

#endif
