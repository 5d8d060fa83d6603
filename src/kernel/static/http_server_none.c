// SPDX-License-Identifier: GPL-2.0
/*
 * The static kvas (make static, for the QEMU guests) has no HTTP server:
 * Debian's libmicrohttpd links GnuTLS, whose static dependencies are not
 * packaged. kvas serve --textfile works there; serving says why not.
 */
#include <stdio.h>

#include "http_server.h"

struct http_server *http_server_start(const char *listen, http_metrics_fn fn, void *ctx,
				      char *why, size_t len)
{
	(void)listen;
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
