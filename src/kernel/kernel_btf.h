/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the running kernel has, asked of its BTF before anything is loaded:
 * tracepoints, struct fields, enum values. Every optional part of kvas is
 * switched on or off from these answers, never from a kernel version.
 *
 * KVAS_BTF=FILE makes kvas read FILE instead of /sys/kernel/btf/vmlinux,
 * both here and for the CO-RE relocations of every BPF object: for kernels
 * without BTF of their own (a BTFHub file), and for tests that show what
 * kvas does on a kernel that lacks a field.
 */
#ifndef KVAS_KERNEL_BTF_H
#define KVAS_KERNEL_BTF_H

#include <stdbool.h>
#include <stdint.h>

struct btf;
struct bpf_object_open_opts;

/* The BTF every probe reads (loaded once), or NULL with errno set. */
const struct btf *kernel_btf(void);
/* KVAS_BTF, or NULL when the running kernel's own BTF is used. */
const char *kernel_btf_custom_path(void);
/* Open options for every skeleton: CO-RE against the same BTF. */
const struct bpf_object_open_opts *kernel_btf_open_opts(void);

/* The tracepoint NAME (without its group) has a btf_trace_NAME type. */
bool kernel_has_tracepoint(const char *name);
/* The kernel function NAME is in BTF: fentry can attach to it. */
bool kernel_has_func(const char *name);
/* struct or union TYPE has a member FIELD (anonymous members searched too). */
bool kernel_has_field(const char *type, const char *field);
/* The byte offset of PATH ("mmu.flush_tlb_multi") in struct TYPE: named members only. */
bool kernel_field_offset(const char *type, const char *path, uint32_t *offset);
/*
 * The byte offset of member FIELD of struct TYPE, also where it sits in
 * anonymous structs and unions (struct page's are), the first in order.
 */
bool kernel_member_offset(const char *type, const char *field, uint32_t *offset);
/* sizeof(struct TYPE). */
bool kernel_struct_size(const char *type, uint32_t *size);
/* The value of ENUMERATOR in enum ENUM_NAME. */
bool kernel_enum_value(const char *enum_name, const char *enumerator, int64_t *value);
/* Call FN for every enumerator of enum ENUM_NAME; false if there is no such enum. */
bool kernel_enum_each(const char *enum_name,
		      void (*fn)(const char *enumerator, int64_t value, void *arg), void *arg);

#endif
