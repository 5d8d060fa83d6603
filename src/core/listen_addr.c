// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <string.h>

#include "listen_addr.h"
#include "parse_num.h"

int listen_addr_split(const char *listen, char *host, size_t len, uint16_t *port)
{
	const char *colon, *h = listen;
	size_t hlen;
	uint64_t p;

	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':')
			return -1;
		h = listen + 1;
		hlen = close - h;
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon || memchr(listen, ':', colon - listen))
			return -1;	/* a bare IPv6 address needs its brackets */
		hlen = colon - listen;
	}
	if (!hlen || hlen >= len || parse_u64(colon + 1, 1, 65535, &p))
		return -1;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	*port = p;
	return 0;
}

bool listen_addr_is_loopback(const char *host)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (!strcmp(host, "localhost"))
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) != 1)
		return false;
	/* ::1, or 127.0.0.0/8 mapped (::ffff:127.0.0.1) */
	return IN6_IS_ADDR_LOOPBACK(&a6) ||
	       (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
}
