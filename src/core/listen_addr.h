/* SPDX-License-Identifier: GPL-2.0 */
/* --listen's HOST:PORT or [IPv6]:PORT. Pure. */
#ifndef KVAS_LISTEN_ADDR_H
#define KVAS_LISTEN_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The host (without brackets) and the port: 0, or -1 when malformed. */
int listen_addr_split(const char *listen, char *host, size_t len, uint16_t *port);

/* host (as split) is loopback: 127.0.0.0/8, ::1 (or v4-mapped 127/8), localhost. */
bool listen_addr_is_loopback(const char *host);

#endif
