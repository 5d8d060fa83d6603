/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where kvas's output goes (stdout, or -o's file, device or FIFO), with one
 * rule for how it ends:
 *   - the first write error is kept with its errno, so it can be named;
 *   - a reader that went away (EPIPE) is a normal end: quiet, exit 0;
 *   - after a stop (live_stop: a signal, 'q'), writes wait for a slow reader
 *     OUT_STREAM_STOP_MS at most in all, then the rest is dropped and said.
 * A stdio stream (fopencookie) sits on the fd, so the commands print with
 * fprintf as before and every write passes through here.
 */
#ifndef KVAS_OUT_STREAM_H
#define KVAS_OUT_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define OUT_STREAM_STOP_MS	1000
/* Records still in stdio's buffer (BUFSIZ bytes) that a stream follows. */
#define OUT_STREAM_MARKS	1024

struct out_stream {
	FILE *file;
	int fd;
	bool own_fd;		/* closed with the stream */
	int err;		/* the first write error (errno); 0: none */
	uint64_t bytes;		/* what the fd took */
	bool cut;		/* a reader took no more after the stop: the rest dropped */
	int64_t deadline_ms;	/* CLOCK_MONOTONIC; set at the first write after a stop */
	/* Where records end: what a reader surely got whole, after an error. */
	struct { uint64_t end, records; } marks[OUT_STREAM_MARKS];
	unsigned int mark_first, mark_count;
	uint64_t records_taken;	/* records whose last byte the fd took */
};

/* A stdio stream writing to fd through s (s must outlive it): NULL with errno. */
FILE *out_stream_open(struct out_stream *s, int fd, bool own_fd);
/* The output holds records records up to here: counted as taken once written out. */
void out_stream_mark(struct out_stream *s, uint64_t records);
/* stdout's out_stream (after stdout_install), as a -o of stdout uses it. */
struct out_stream *stdout_stream(void);
/*
 * After the last write (the stream flushed or closed): 0 when everything
 * went out or the reader left; -1 after one line on stderr,
 * "kvas CMD: [WHERE: ]write error: ...". What was dropped at the stop's
 * bound is said in a line of its own, and is no error.
 */
int out_stream_check(const struct out_stream *s, const char *cmd, const char *where);

/*
 * main(): stdout goes through an out_stream (line-buffered on a terminal,
 * else fully), and SIGPIPE is ignored: a closed pipe is EPIPE.
 */
void stdout_install(void);
/*
 * main(), after the command: flush stdout and apply the rule. The exit
 * status: status, or EXIT_RUNTIME after a write error, or EXIT_OK when
 * the command failed only because its reader left (cmd NULL: "kvas").
 */
int stdout_finish(const char *cmd, int status);

#endif
