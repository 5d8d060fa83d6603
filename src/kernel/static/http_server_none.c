// SPDX-License-Identifier: GPL-2.0
/*
 * The static kvas (make static, for the QEMU guests) has no HTTP server:
 * Debian's libmicrohttpd links GnuTLS, whose static dependencies are not
 * packaged. kvas serve --textfile works there; serving says why not.
 */
#include <stdio.h>

#include "http_auth.h"
#include "http_server.h"
#include "http_tls.h"

struct http_server *http_server_start(const char *listen, struct http_tls *tls,
				      struct http_auth *auth, http_metrics_fn fn, void *ctx,
				      char *why, size_t len)
{
	(void)listen;
	(void)tls;
	(void)auth;
	(void)fn;
	(void)ctx;
	snprintf(why, len, "this static kvas is built without libmicrohttpd: use --textfile,"
		 " or the dynamically linked kvas");
	return NULL;
}

void http_server_stop(struct http_server *s)
{
	(void)s;
}

/* Nor TLS (GnuTLS) and basic auth (libcrypt): --web-config is refused, saying so. */
int http_tls_load(const struct web_config *c, const char *config_path, struct http_tls **out,
		  char *why, size_t len)
{
	(void)config_path;
	*out = NULL;
	if (!c->tls)
		return 0;
	snprintf(why, len, "this static kvas is built without TLS: use the dynamically linked kvas");
	return -1;
}

void http_tls_free(struct http_tls *t)
{
	(void)t;
}

int http_auth_new(const struct web_config *c, struct http_auth **out, char *why, size_t len)
{
	*out = NULL;
	if (!c->n_users)
		return 0;
	snprintf(why, len, "this static kvas is built without basic auth: use the dynamically"
		 " linked kvas");
	return -1;
}

void http_auth_free(struct http_auth *a)
{
	(void)a;
}
