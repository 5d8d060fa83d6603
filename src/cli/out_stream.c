// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio_ext.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "watch.h"
#include "out_stream.h"

static int64_t now_ms(void)
{
	return monotonic_ns() / 1000000;
}

/*
 * After a stop: can the fd take PIPE_BUF bytes before the deadline? A pipe
 * that polls writable takes a write of PIPE_BUF at most without blocking.
 */
static bool writable_before_deadline(struct out_stream *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };
	int64_t left;

	if (!s->deadline_ms)
		s->deadline_ms = now_ms() + OUT_STREAM_STOP_MS;
	while ((left = s->deadline_ms - now_ms()) > 0) {
		int n = poll(&pfd, 1, (int)left);

		if (n > 0)
			return true;	/* POLLERR, POLLHUP: the write says which */
		if (n < 0 && errno != EINTR)
			return true;
	}
	return false;
}

/* The marks the fd has taken all of. */
static void take_marks(struct out_stream *s)
{
	while (s->mark_count && s->marks[s->mark_first].end <= s->bytes) {
		s->records_taken = s->marks[s->mark_first].records;
		s->mark_first = (s->mark_first + 1) % OUT_STREAM_MARKS;
		s->mark_count--;
	}
}

void out_stream_mark(struct out_stream *s, uint64_t records)
{
	unsigned int slot;

	if (s->err || s->cut)
		return;		/* stdio dropped its buffer: nothing after is taken */
	if (s->mark_count == OUT_STREAM_MARKS) {	/* records of 8 bytes: not kvas's */
		s->mark_first = (s->mark_first + 1) % OUT_STREAM_MARKS;
		s->mark_count--;
	}
	slot = (s->mark_first + s->mark_count++) % OUT_STREAM_MARKS;
	s->marks[slot].end = s->bytes + __fpending(s->file);
	s->marks[slot].records = records;
	take_marks(s);
}

static void wait_writable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	poll(&pfd, 1, -1);	/* a signal ends it too: the caller looks at live_stop */
}

static ssize_t stream_write(void *cookie, const char *buf, size_t len)
{
	struct out_stream *s = cookie;
	size_t done = 0;

	while (!s->err && !s->cut && done < len) {
		size_t chunk = len - done;
		ssize_t n;

		if (live_stop) {
			if (!writable_before_deadline(s)) {
				s->cut = true;
				break;
			}
			if (chunk > PIPE_BUF)
				chunk = PIPE_BUF;
		}
		n = write(s->fd, buf + done, chunk);
		if (n > 0) {
			done += n;
			s->bytes += n;
			take_marks(s);
		} else if (n < 0 && errno == EAGAIN && !live_stop) {
			wait_writable(s->fd);	/* an fd someone made non-blocking */
		} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			s->err = n ? errno : EIO;
		}
	}
	if (done == len)
		return len;
	errno = s->err ? s->err : EAGAIN;
	return -1;
}

static int stream_close(void *cookie)
{
	struct out_stream *s = cookie;

	if (s->own_fd && close(s->fd) && !s->err && errno != EINTR)
		s->err = errno;		/* NFS and the like report here */
	s->own_fd = false;
	return s->err ? -1 : 0;
}

FILE *out_stream_open(struct out_stream *s, int fd, bool own_fd)
{
	cookie_io_functions_t io = { .write = stream_write, .close = stream_close };

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->own_fd = own_fd;
	s->file = fopencookie(s, "w", io);
	return s->file;
}

int out_stream_check(const struct out_stream *s, const char *cmd, const char *where)
{
	const char *sep = cmd ? " " : "";

	if (s->cut)
		fprintf(stderr, "kvas%s%s: %s%sthe reader took no more within %d ms of the stop: the rest was dropped\n",
			sep, cmd ? cmd : "", where ? where : "", where ? ": " : "",
			OUT_STREAM_STOP_MS);
	if (!s->err || s->err == EPIPE)
		return 0;
	fprintf(stderr, "kvas%s%s: %s%swrite error: %s\n", sep, cmd ? cmd : "",
		where ? where : "", where ? ": " : "", strerror(s->err));
	return -1;
}

static struct out_stream stdout_out;

struct out_stream *stdout_stream(void)
{
	return &stdout_out;
}

void stdout_install(void)
{
	FILE *out;

	signal(SIGPIPE, SIG_IGN);
	out = out_stream_open(&stdout_out, STDOUT_FILENO, false);
	if (!out)
		return;		/* out of memory: plain stdout still works */
	setvbuf(out, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	stdout = out;
}

int stdout_finish(const char *cmd, int status)
{
	fflush(stdout);
	if (out_stream_check(&stdout_out, cmd, NULL))
		return EXIT_RUNTIME;
	if (stdout_out.err == EPIPE && status == EXIT_RUNTIME)
		return EXIT_OK;
	return status;
}
