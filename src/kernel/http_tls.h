/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas serve's TLS (--web-config's tls_server_config), through
 * libmicrohttpd's GnuTLS: the certificate, key and client CA read and
 * checked at start; the client certificate asked for and verified in the
 * handshake as client_auth_type says (an untrusted one fails the
 * handshake, as Go's crypto/tls does for the exporter toolkit).
 */
#ifndef KVAS_HTTP_TLS_H
#define KVAS_HTTP_TLS_H

#include <stddef.h>
#include <microhttpd.h>

#include "web_config.h"

/* MHD options http_tls_options() fills, MHD_OPTION_END included. */
#define HTTP_TLS_OPTIONS 4

struct http_tls;

/*
 * The files of c's tls_server_config (relative paths from config_path's
 * directory) read and checked: 0 with *out set (NULL when c has no TLS), or
 * -1 with why set (one line naming the file).
 */
int http_tls_load(const struct web_config *c, const char *config_path, struct http_tls **out,
		  char *why, size_t len);
void http_tls_free(struct http_tls *t);

/* MHD_USE_TLS into *flags and t's options into opts (for MHD_OPTION_ARRAY); t may be NULL. */
void http_tls_options(struct http_tls *t, unsigned int *flags,
		      struct MHD_OptionItem opts[HTTP_TLS_OPTIONS]);

#endif
