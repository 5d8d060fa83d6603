// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "http_guard.h"
#include "http_auth.h"
#include "http_server.h"
#include "http_tls.h"
#include "listen_addr.h"

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_guard *guard;
	struct http_auth *auth;
	http_metrics_fn fn;
	void *ctx;
};

static const char index_page[] =
	"<html><head><title>kvas</title></head><body><h1>kvas serve</h1>"
	"<p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *type, void *body, size_t len, bool owned)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, owned ?
		MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r) {
		if (owned)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The guard's record of conn, kept as libmicrohttpd's socket context. */
static struct http_guard_conn *guarded(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return i ? i->socket_context : NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	const union MHD_ConnectionInfo *i;
	struct http_server *s = cls;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		http_guard_close(s->guard, *socket_context);
		return;
	}
	i = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	*socket_context = i ? http_guard_open(s->guard, i->connect_fd) : NULL;
}

/* An answer sent (or abandoned): the connection waits for its next request. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;

	(void)con_cls;
	(void)toe;
	http_guard_answered(s->guard, guarded(conn));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	static const char not_found[] = "not found: kvas serves /metrics\n";
	static const char not_allowed[] = "method not allowed: GET or HEAD\n";
	static const char failed[] = "kvas serve: the counters could not be read\n";
	struct http_server *s = cls;
	enum prom_format format;
	char *body = NULL;
	size_t len = 0;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	/*
	 * The first call has the headers: the request is judged there, once
	 * (a credentials check costs an HMAC even when cached); the answer
	 * comes on the second.
	 */
	if (!*con_cls) {
		/* the request is whole: the guard's clock for it stops */
		http_guard_request(s->guard, guarded(conn));
		/* no answer of any kind, not even a 404, before the credentials */
		if (!http_auth_allowed(s->auth, conn))
			return http_auth_refuse(conn);
		if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
			http_guard_refused(s->guard, HTTP_REFUSED_METHOD);
			return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
				     (void *)not_allowed, sizeof(not_allowed) - 1, false);
		}
		*con_cls = s;
		return MHD_YES;
	}
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8", (void *)index_page,
			     sizeof(index_page) - 1, false);
	if (strcmp(url, "/metrics")) {
		http_guard_refused(s->guard, HTTP_REFUSED_NOT_FOUND);
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain", (void *)not_found,
			     sizeof(not_found) - 1, false);
	}
	format = prom_format_accepted(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								  MHD_HTTP_HEADER_ACCEPT));
	if (s->fn(s->ctx, format, &body, &len))
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", (void *)failed,
			     sizeof(failed) - 1, false);
	return reply(conn, MHD_HTTP_OK, prom_content_type(format), body, len, true);
}

struct http_server *http_server_start(const char *listen, struct http_tls *tls,
				      struct http_auth *auth, http_metrics_fn fn, void *ctx,
				      char *why, size_t len)
{
	struct MHD_OptionItem tls_opts[HTTP_TLS_OPTIONS];
	struct addrinfo hints = {
		.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV | AI_NUMERICHOST,
	};
	struct addrinfo *ai = NULL;
	struct http_server *s;
	char host[256], port_s[8];
	unsigned int flags = MHD_USE_POLL_INTERNAL_THREAD;
	uint16_t port;
	int err;

	if (listen_addr_split(listen, host, sizeof(host), &port)) {
		snprintf(why, len, "--listen takes HOST:PORT or [IPv6]:PORT, not '%s'", listen);
		return NULL;
	}
	snprintf(port_s, sizeof(port_s), "%u", port);
	err = getaddrinfo(host, port_s, &hints, &ai);
	if (err) {
		snprintf(why, len, "'%s' is no IP address: %s", host, gai_strerror(err));
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		freeaddrinfo(ai);
		snprintf(why, len, "out of memory");
		return NULL;
	}
	s->fn = fn;
	s->ctx = ctx;
	s->guard = http_guard_start(HTTP_ROOM_CONNECTIONS, HTTP_REQUEST_TIMEOUT_S);
	if (!s->guard) {
		freeaddrinfo(ai);
		free(s);
		snprintf(why, len, "out of memory");
		return NULL;
	}
	s->auth = auth;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	http_tls_options(tls, &flags, tls_opts);
	s->daemon = MHD_start_daemon(flags, port, NULL, NULL, on_request, s,
				     MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_CONNECTIONS,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_REQUEST_MEMORY,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_TIMEOUT_S,
				     MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				     MHD_OPTION_ARRAY, tls_opts,
				     MHD_OPTION_END);
	err = errno;
	freeaddrinfo(ai);
	if (!s->daemon) {
		snprintf(why, len, "cannot listen on %s: %s", listen,
			 err ? strerror(err) : "libmicrohttpd refused");
		http_guard_stop(s->guard);
		free(s);
		return NULL;
	}
	return s;
}

void http_server_stop(struct http_server *s)
{
	if (!s)
		return;
	/* every connection closed (and told to the guard) first */
	MHD_stop_daemon(s->daemon);
	http_guard_stop(s->guard);
	free(s);
}
