/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas serve's basic auth (--web-config's basic_auth_users): the password
 * checked against the user's bcrypt hash through libcrypt, compared in
 * constant time. As the exporter toolkit does, each check's verdict is
 * cached, keyed by an HMAC of the user and password under a key made at
 * start (never the password itself), so a scraper's repeated requests pay
 * bcrypt once, and one password tried again and again pays it once too. A
 * user nobody has costs a bcrypt as well (against a hash of the same cost),
 * so names do not show by timing.
 */
#ifndef KVAS_HTTP_AUTH_H
#define KVAS_HTTP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <microhttpd.h>

#include "web_config.h"

struct http_auth;

/* 0 with *out set (NULL when c has no users), or -1 with why set. */
int http_auth_new(const struct web_config *c, struct http_auth **out, char *why, size_t len);
void http_auth_free(struct http_auth *a);

/* The request's credentials are a user's (a NULL a lets everyone in). */
bool http_auth_allowed(struct http_auth *a, struct MHD_Connection *conn);

/* 401 with WWW-Authenticate: Basic realm="kvas". */
enum MHD_Result http_auth_refuse(struct MHD_Connection *conn);

#endif
