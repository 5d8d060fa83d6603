// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "http_guard.h"
#include "mono_clock.h"

enum conn_state { CONN_WAITING, CONN_BUSY, CONN_SHUT };

struct http_guard_conn {
	struct http_guard_conn *prev, *next;	/* in the waiting list while CONN_WAITING */
	double since;				/* when it began waiting for its request */
	enum conn_state state;
	bool had_request;
	int fd;
};

struct http_guard {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t reaper;
	bool stopping;
	unsigned int room, request_s, open;
	/* waiting for their request, the one waiting longest first */
	struct http_guard_conn *head, *tail;
	unsigned long refused[HTTP_REFUSALS];
	double counted_since;			/* start, or the last line */
	bool logged;
};

static const char *const refusal_names[HTTP_REFUSALS] = {
	[HTTP_REFUSED_NOT_FOUND] = "not found (404)",
	[HTTP_REFUSED_METHOD] = "method not allowed (405)",
	[HTTP_REFUSED_SLOW] = "closed: request not whole in time",
	[HTTP_REFUSED_EVICTED] = "closed at the connection limit",
	[HTTP_REFUSED_NO_REQUEST] = "closed without a request",
};

static double mono_s(void)
{
	return monotonic_ns() / 1e9;
}

static void wait_list_add(struct http_guard *g, struct http_guard_conn *c)
{
	c->state = CONN_WAITING;
	c->since = mono_s();
	c->next = NULL;
	c->prev = g->tail;
	if (g->tail)
		g->tail->next = c;
	else
		g->head = c;
	g->tail = c;
}

static void wait_list_del(struct http_guard *g, struct http_guard_conn *c)
{
	if (c->state != CONN_WAITING)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		g->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		g->tail = c->prev;
	c->prev = c->next = NULL;
}

/*
 * End it from outside the server's thread: its socket reads as closed, and
 * the server frees it at its next poll. The fd is still the connection's:
 * the server tells us it closes (under the lock) before it closes the fd.
 */
static void shut(struct http_guard *g, struct http_guard_conn *c, enum http_refusal why)
{
	wait_list_del(g, c);
	c->state = CONN_SHUT;
	shutdown(c->fd, SHUT_RDWR);
	g->refused[why]++;
}

/*
 * Everything refused since counted_since in one line (under the lock), or
 * "" when nothing was: printed outside it, so that a slow stderr never holds
 * up the server's thread.
 */
static void refusals_line(struct http_guard *g, double now, char *line, size_t len)
{
	size_t n = snprintf(line, len, "kvas serve: refused in the last %.0f s: ",
			    now - g->counted_since), start = n;

	for (int k = 0; k < HTTP_REFUSALS && n < len; k++) {
		if (!g->refused[k])
			continue;
		n += snprintf(line + n, len - n, "%s%lu %s", n > start ? ", " : "",
			      g->refused[k], refusal_names[k]);
		g->refused[k] = 0;
	}
	if (n == start) {
		line[0] = 0;
		return;
	}
	g->counted_since = now;
	g->logged = true;
}

static void *reaper(void *arg)
{
	struct http_guard *g = arg;
	struct timespec at;
	char line[512];

	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		double now = mono_s();

		line[0] = 0;
		while (g->head && now - g->head->since >= g->request_s)
			shut(g, g->head, HTTP_REFUSED_SLOW);
		/* the first refusal is said at once, then at most once every HTTP_GUARD_LOG_S */
		if (!g->logged || now - g->counted_since >= HTTP_GUARD_LOG_S)
			refusals_line(g, now, line, sizeof(line));
		if (line[0]) {
			pthread_mutex_unlock(&g->lock);
			fprintf(stderr, "%s\n", line);
			pthread_mutex_lock(&g->lock);
		}
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_sec += 1;
		pthread_cond_timedwait(&g->wake, &g->lock, &at);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct http_guard *http_guard_start(unsigned int room, unsigned int request_s)
{
	struct http_guard *g = calloc(1, sizeof(*g));
	pthread_condattr_t attr;

	if (!g)
		return NULL;
	g->room = room;
	g->request_s = request_s;
	g->counted_since = mono_s();
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&g->reaper, NULL, reaper, g)) {
		pthread_cond_destroy(&g->wake);
		pthread_mutex_destroy(&g->lock);
		free(g);
		return NULL;
	}
	return g;
}

void http_guard_stop(struct http_guard *g)
{
	char line[512];

	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->reaper, NULL);
	/* what was refused since the last line is not lost */
	refusals_line(g, mono_s(), line, sizeof(line));
	if (line[0])
		fprintf(stderr, "%s\n", line);
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

struct http_guard_conn *http_guard_open(struct http_guard *g, int fd)
{
	struct http_guard_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	pthread_mutex_lock(&g->lock);
	/* full: the one waiting longest for its request makes room */
	if (++g->open > g->room && g->head)
		shut(g, g->head, HTTP_REFUSED_EVICTED);
	wait_list_add(g, c);
	pthread_mutex_unlock(&g->lock);
	return c;
}

void http_guard_request(struct http_guard *g, struct http_guard_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	if (c->state == CONN_WAITING) {
		wait_list_del(g, c);
		c->state = CONN_BUSY;
	}
	c->had_request = true;
	pthread_mutex_unlock(&g->lock);
}

void http_guard_answered(struct http_guard *g, struct http_guard_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	if (c->state == CONN_BUSY)
		wait_list_add(g, c);
	pthread_mutex_unlock(&g->lock);
}

void http_guard_close(struct http_guard *g, struct http_guard_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	wait_list_del(g, c);
	if (c->state != CONN_SHUT && !c->had_request)
		g->refused[HTTP_REFUSED_NO_REQUEST]++;
	g->open--;
	pthread_mutex_unlock(&g->lock);
	free(c);
}

void http_guard_refused(struct http_guard *g, enum http_refusal why)
{
	pthread_mutex_lock(&g->lock);
	g->refused[why]++;
	pthread_mutex_unlock(&g->lock);
}
