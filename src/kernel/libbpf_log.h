/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpf's messages: shown with -v, and always kept (the last few lines) so
 * that a failed load can name the program and the kernel's own reason (the
 * CO-RE relocation that failed, or the verifier's last line) instead of a
 * guess.
 */
#ifndef KVAS_LIBBPF_LOG_H
#define KVAS_LIBBPF_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "libbpf_reason.h"

void libbpf_log_setup(bool verbose);
/* Forget what was kept: call before a load whose failure is to be explained. */
void libbpf_log_reset(void);
/*
 * "program 'NAME': REASON" from the kept lines, or "" when libbpf said
 * nothing useful. Returns buf.
 */
char *libbpf_log_reason(char *buf, size_t len);
/* The kept reason, else strerror(-err): what a failed load prints. */
char *libbpf_load_failure(int err, char *buf, size_t len);

#endif
