/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The events of a recording folded by call chain: what the folded-stack
 * output prints and the flame graph draws, so both count the same. Pure.
 */
#ifndef KVAS_CALL_CHAINS_H
#define KVAS_CALL_CHAINS_H

#include <stddef.h>
#include <stdint.h>

#include "recording.h"

/* Frames are joined by this; a name holding it has it replaced by ':'. */
#define CHAIN_SEPARATOR ';'
/* After a kernel frame's name: flamegraph.pl's mark, which it draws in another colour. */
#define CHAIN_KERNEL_SUFFIX "_[k]"
/* At the root side of a user chain that ended before its outermost frame. */
#define CHAIN_CUT "[cut]"

/*
 * One chain: root first, the process's comm, then the user frames from the
 * outermost in, then the kernel frames. A frame's name is its function;
 * unnamed, "module+0xOFF" or "0xADDR". Names are made safe for every reader
 * of the format: ';' becomes ':', a space '_' (a name ending in " 12"
 * would read as a second count), a control byte or a byte that is not
 * UTF-8 '?', an empty name "[unknown]". An event without a stack is one
 * frame under its comm: "[no-stack:fault-user]".
 */
struct call_chain {
	char *text;
	uint64_t count;
};

struct call_chains {
	struct call_chain *chain;	/* sorted by text (strcmp), each text once */
	size_t nr;
	uint64_t total;			/* the events: every one is in one chain */
};

/* 0, or -ENOMEM (c then holds nothing). */
int call_chains_fold(const struct recording *r, struct call_chains *c);
void call_chains_free(struct call_chains *c);

/* Bytes of the valid UTF-8 character s starts with; 0 for NUL or a byte that starts none. */
size_t utf8_char_len(const char *s);

#endif
