// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "libbpf_log.h"

#define KEPT_LINES 48
#define LINE_LEN 256

static bool verbose_libbpf;
static char kept[KEPT_LINES][LINE_LEN];
static int next_line, nr_kept;

static void keep(const char *text)
{
	const char *p = text;

	/* one message may hold many lines (a verifier log) */
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n) {
			snprintf(kept[next_line], LINE_LEN, "%.*s", (int)n, p);
			next_line = (next_line + 1) % KEPT_LINES;
			if (nr_kept < KEPT_LINES)
				nr_kept++;
		}
		p += n + (nl ? 1 : 0);
	}
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char text[4096];
	va_list copy;
	int n = 0;

	va_copy(copy, ap);
	if (level != LIBBPF_DEBUG) {
		vsnprintf(text, sizeof(text), fmt, copy);
		keep(text);
	}
	va_end(copy);
	/* probes that kvas expects to fail would alarm: shown with -v only */
	if (verbose_libbpf)
		n = vfprintf(stderr, fmt, ap);
	return n;
}

void libbpf_log_setup(bool verbose)
{
	verbose_libbpf = verbose;
	libbpf_set_print(libbpf_print);
}

void libbpf_log_reset(void)
{
	nr_kept = next_line = 0;
}

char *libbpf_load_failure(int err, char *buf, size_t len)
{
	if (!libbpf_log_reason(buf, len)[0])
		libbpf_strerror(err < 0 ? -err : err, buf, len);
	return buf;
}

char *libbpf_log_reason(char *buf, size_t len)
{
	const char *lines[KEPT_LINES];
	int first = nr_kept < KEPT_LINES ? 0 : next_line;

	for (int i = 0; i < nr_kept; i++)
		lines[i] = kept[(first + i) % KEPT_LINES];
	return libbpf_log_reason_of(lines, nr_kept, buf, len);
}
