/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a BPF load failed, read from libbpf's messages: the program's name and
 * the kernel's own reason (the CO-RE relocation that failed, or the
 * verifier's last line). Pure text work, so it is tested without libbpf.
 */
#ifndef KVAS_LIBBPF_REASON_H
#define KVAS_LIBBPF_REASON_H

#include <stddef.h>

/*
 * "program 'NAME': REASON" from libbpf's lines, oldest first, or "" when
 * they say nothing useful. Returns buf.
 */
char *libbpf_log_reason_of(const char *const *lines, int nr, char *buf, size_t len);

#endif
