// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http_get.h"

#define HTTP_TIMEOUT_S 10

static int connect_local(uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = HTTP_TIMEOUT_S };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int http_request(uint16_t port, const char *method, const char *path, const char *accept,
		 struct http_answer *a)
{
	char req[4096], *buf = NULL, *split;
	size_t len = 0, cap = 0;
	int fd, n;

	memset(a, 0, sizeof(*a));
	fd = connect_local(port);
	if (fd < 0)
		return fd;
	n = snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\nHost: 127.0.0.1:%u\r\n%s%s%s"
		     "Connection: close\r\n\r\n", method, path, port, accept ? "Accept: " : "",
		     accept ? accept : "", accept ? "\r\n" : "");
	if (write(fd, req, n) != n) {
		close(fd);
		return -EIO;
	}
	for (;;) {
		ssize_t got;

		if (cap - len < 4097) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
		}
		got = read(fd, buf + len, cap - len - 1);
		if (got <= 0)
			break;
		len += got;
	}
	close(fd);
	if (!buf)
		return -EIO;
	buf[len] = '\0';
	split = strstr(buf, "\r\n\r\n");
	if (!split || sscanf(buf, "HTTP/%*s %d", &a->status) != 1) {
		free(buf);
		return -EPROTO;
	}
	*split = '\0';
	a->headers = buf;
	a->body = strdup(split + 4);
	a->body_len = len - (split + 4 - buf);
	return a->body ? 0 : -ENOMEM;
}

void http_answer_free(struct http_answer *a)
{
	free(a->headers);
	free(a->body);
	memset(a, 0, sizeof(*a));
}

uint16_t free_tcp_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	uint16_t port = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!bind(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    !getsockname(fd, (struct sockaddr *)&sa, &len))
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

char *url_encode(const char *s)
{
	char *out = malloc(3 * strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-_.~", c))
			*o++ = c;
		else
			o += sprintf(o, "%%%02X", c);
	}
	*o = '\0';
	return out;
}
