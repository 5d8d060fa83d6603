/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A user ip as "symbol+0xoff" and its module, from the process's mappings
 * (/proc/PID/maps) and the mapped ELF file, opened through
 * /proc/PID/map_files (else /proc/PID/root) so that a container's own
 * files are read. Cached per process and per file (dev, inode), bounded.
 */
#ifndef KVAS_USER_SYMBOLS_H
#define KVAS_USER_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct user_symbols;

struct user_symbols *user_symbols_new(void);
void user_symbols_free(struct user_symbols *us);

/* What an event tells of the task whose ip it is, to check it is still that task. */
struct user_ip {
	pid_t pid, tid;
	const char *comm;		/* the thread's name at the event (16 bytes) */
	uint64_t ts_ns;			/* CLOCK_MONOTONIC of the event */
	uint64_t ip;
};

/*
 * The function holding ip ("name+0xoff" in sym) and the file's name (in
 * module); false, and nothing written, where that is not known for sure:
 * the process exited or was replaced, the ip is in no file or no symbol
 * covers it, the file cannot be read.
 */
bool user_symbols_name(struct user_symbols *us, const struct user_ip *at, char *sym,
		       size_t sym_len, char *module, size_t module_len);

/*
 * Read a process's maps and its files' symbols now (trace -p, -t): they
 * then name its ips even once it has exited, which a short run does
 * before its records are read.
 */
void user_symbols_prefetch(struct user_symbols *us, pid_t pid);

/*
 * Drop what is cached of a process's maps (kvas record, after an exec or
 * an ip in no mapping yet): the next lookup reads them again at once.
 */
void user_symbols_forget(struct user_symbols *us, pid_t pid);

#endif
