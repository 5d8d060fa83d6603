/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny HTTP/1.0 client for the tests (no libcurl here): one request to
 * 127.0.0.1, the whole answer read, bounded by a timeout.
 */
#ifndef KVAS_TESTS_HTTP_GET_H
#define KVAS_TESTS_HTTP_GET_H

#include <stddef.h>
#include <stdint.h>

struct http_answer {
	int status;			/* 200, 404, ...; 0: no answer */
	char *headers;			/* the status line and headers */
	char *body;			/* NUL-terminated */
	size_t body_len;
};

/* method path (accept may be NULL) to 127.0.0.1:port: 0, or -errno. */
int http_request(uint16_t port, const char *method, const char *path, const char *accept,
		 struct http_answer *a);
void http_answer_free(struct http_answer *a);

/* A TCP port of 127.0.0.1 that nothing listens on now, or 0. */
uint16_t free_tcp_port(void);

/* s with every byte but [A-Za-z0-9-_.~] as %XX, for a query string (caller frees). */
char *url_encode(const char *s);

#endif
