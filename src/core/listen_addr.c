// SPDX-License-Identifier: GPL-2.0
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
