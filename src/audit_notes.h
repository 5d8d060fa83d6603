/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What /sys/kernel/notes reveals. The file is the kernel's .notes section,
 * world-readable; Xen's notes in it hold kernel-image addresses. Only an
 * address that KASLR moved gives anything away: the constants of the x86-64
 * layout and System.map's (unrelocated) addresses do not. Pure logic.
 */
#ifndef KVAS_AUDIT_NOTES_H
#define KVAS_AUDIT_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"

struct ksyms;

/* One ELF note of a note section. */
struct elf_note {
	const char *name;		/* "" when the note has none */
	uint32_t type;
	const unsigned char *desc;
	uint32_t descsz;
};

/* The note at *off, moving *off past it: 1, 0 at the end, -1 when malformed. */
int elf_note_next(const unsigned char *buf, size_t len, size_t *off, struct elf_note *n);

/* What a kernel address in a note reveals, least to most. */
enum note_addr_kind {
	NOTE_CONSTANT,		/* a documented constant of the layout */
	NOTE_UNSLID,		/* System.map's address, not this boot's */
	NOTE_NOT_SLID,		/* an image address, on a boot whose text did not slide */
	NOTE_UNCLEAR,		/* whether it carries the slide cannot be told */
	NOTE_SLID,		/* this boot's address: it gives the text slide away */
};

struct note_addr {
	char note[40];		/* "Xen ENTRY", "Linux type 0x101" */
	uint64_t value;
	enum note_addr_kind kind;
	char why[200];
};

/* What the boot shows, to judge an address by. */
struct notes_context {
	bool slide_known;
	uint64_t slide;
	uint64_t start_kernel;		/* __START_KERNEL: _text when not slid */
	uint64_t image_size;		/* _text to the end of bss; 0 unknown */
	const struct ksyms *syms;	/* the running kernel's, to tell ties; or NULL */
};

/*
 * Judge each kernel address in the notes, at most max of them. Returns how
 * many were stored, or -1 when buf is no well-formed note section.
 */
int notes_judge(const void *buf, size_t len, const struct notes_context *ctx,
		struct note_addr *out, int max);

enum audit_result note_addr_result(enum note_addr_kind k);

/*
 * "Xen ENTRY 0x...: why; ..." most revealing first (a is sorted so), or a
 * sentence saying there is no kernel address. Returns the worst result.
 */
enum audit_result notes_describe(struct note_addr *a, int n, char *buf, size_t len);

#endif
