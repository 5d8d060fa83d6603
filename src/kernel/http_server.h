/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas serve's HTTP endpoint, on Debian's libmicrohttpd: GET and HEAD of
 * /metrics (and / with a link to it); 404 for any other path, 405 for any
 * other method. Bounded: connections, request memory, a timeout for idle
 * clients and one for a whole request (http_guard.h). Requests are answered
 * one at a time by libmicrohttpd's thread.
 */
#ifndef KVAS_HTTP_SERVER_H
#define KVAS_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "prom_writer.h"

/*
 * Connections: libmicrohttpd accepts HTTP_MAX_CONNECTIONS at most (a socket
 * each, beside kvas's ~40 other files: under 300 in all); from
 * HTTP_ROOM_CONNECTIONS on, each new one closes the one that has waited
 * longest for its request, so a scraper always gets in (its request comes
 * at once) however many sockets others hold open.
 */
#define HTTP_MAX_CONNECTIONS	240
#define HTTP_ROOM_CONNECTIONS	224
#define HTTP_REQUEST_MEMORY	(32 * 1024)	/* bytes a connection may use for its request */
#define HTTP_TIMEOUT_S		10		/* an idle client is dropped */
#define HTTP_REQUEST_TIMEOUT_S	10		/* a request not whole by then is dropped */

/* The exposition in format, into a malloc'd *body: 0, or -errno (a 500). */
typedef int (*http_metrics_fn)(void *ctx, enum prom_format format, char **body, size_t *len);

struct http_server;
struct http_tls;
struct http_auth;

/*
 * Listen on host:port ("127.0.0.1:9633", "[::1]:9633", "0.0.0.0:9633"),
 * through TLS when tls, asking for basic auth when auth (each NULL for
 * none; both stay the caller's, freed after http_server_stop()); NULL with
 * why set.
 */
struct http_server *http_server_start(const char *listen, struct http_tls *tls,
				      struct http_auth *auth, http_metrics_fn fn, void *ctx,
				      char *why, size_t len);
void http_server_stop(struct http_server *s);

#endif
