/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas record's "seen before?" tables: a key of two u64 (pid and ip, a
 * stack's hash, a pid, a cgroup key) to an index in the caller's array.
 * Open addressing, grown at half full: a lookup per ip of every event.
 */
#ifndef KVAS_RECORD_TABLE_H
#define KVAS_RECORD_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct record_slot {
	uint64_t a, b;
	uint32_t value;
	bool used;
};

struct record_table {
	struct record_slot *slots;
	size_t cap, nr;			/* cap: a power of two */
};

/*
 * The value of (a, b); absent, it is added with value and *added is set.
 * NULL when memory runs out.
 */
uint32_t *record_table_get(struct record_table *t, uint64_t a, uint64_t b, uint32_t value,
			   bool *added);
void record_table_free(struct record_table *t);

#endif
