/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas serve's HTTP connections under abuse. libmicrohttpd's own timeout is
 * one of inactivity: a client sending a byte a second keeps its connection
 * for ever. The guard knows when each connection began waiting for its
 * request, closes (shutdown(2): the server's thread sees the end and frees
 * it) those whose request has not arrived whole within a bound, makes room
 * at the limit by closing the one waiting longest, and says what it refused
 * in at most one line every HTTP_GUARD_LOG_S. Nothing here is libmicrohttpd's:
 * http_server.c calls it from its callbacks.
 */
#ifndef KVAS_HTTP_GUARD_H
#define KVAS_HTTP_GUARD_H

#define HTTP_GUARD_LOG_S	10	/* at most one line of refusals this often */

/* What was refused, for the log line. */
enum http_refusal {
	HTTP_REFUSED_NOT_FOUND,		/* 404 */
	HTTP_REFUSED_METHOD,		/* 405 */
	HTTP_REFUSED_SLOW,		/* its request did not arrive whole in time */
	HTTP_REFUSED_EVICTED,		/* closed at the limit to let a newer one in */
	HTTP_REFUSED_NO_REQUEST,	/* closed with no request: idle, oversized, malformed */
	HTTP_REFUSALS
};

struct http_guard;
struct http_guard_conn;

/*
 * A guard closing what waits longer than request_s for its request, and
 * the one waiting longest once room (connections open) reaches room; NULL
 * when out of memory or threads.
 */
struct http_guard *http_guard_start(unsigned int room, unsigned int request_s);
/* After the server has closed every connection: its last line, and free. */
void http_guard_stop(struct http_guard *g);

/* A connection on socket fd was accepted; NULL when out of memory (unguarded). */
struct http_guard_conn *http_guard_open(struct http_guard *g, int fd);
/* Its request arrived whole: no longer timed. */
void http_guard_request(struct http_guard *g, struct http_guard_conn *c);
/* Its answer was sent: it waits for its next request, timed again. */
void http_guard_answered(struct http_guard *g, struct http_guard_conn *c);
/* The server closed it (before it closes the socket). */
void http_guard_close(struct http_guard *g, struct http_guard_conn *c);
/* A request refused with an error status. */
void http_guard_refused(struct http_guard *g, enum http_refusal why);

#endif
