/* SPDX-License-Identifier: GPL-2.0 */
/* The running kernel's build configuration, from /proc/config.gz or /boot. */
#ifndef KVAS_KCONFIG_H
#define KVAS_KCONFIG_H

#include <stdbool.h>
#include <stdint.h>

enum kconfig_state { KCONFIG_UNKNOWN, KCONFIG_NO, KCONFIG_YES };

#define KCONFIG_MAX_OPTS 32

struct kconfig {
	bool loaded;		/* a file with at least one option line was read */
	char path[128];		/* where it came from */
	int lines;		/* option lines seen, wanted or not */
	int nr;
	struct {
		char name[48];
		char value[48];	/* "y", "m", a number; "" when "is not set" */
	} opt[KCONFIG_MAX_OPTS];
};

/* Options kvas looks at, so the table stays small. */
extern const char *const kconfig_wanted[];

/*
 * Parse config text (plain or gzip, through zlib) from PATH. A file without
 * one option line (empty, or masked with /dev/null) is no config: -ENODATA.
 */
int kconfig_load_file(struct kconfig *kc, const char *path);
/* /proc/config.gz, then /boot/config-$(uname -r). */
int kconfig_load(struct kconfig *kc);
/* Feed one line, as the parser does for each line of the file. */
void kconfig_parse_line(struct kconfig *kc, const char *line);

enum kconfig_state kconfig_bool(const struct kconfig *kc, const char *name);
bool kconfig_u64(const struct kconfig *kc, const char *name, uint64_t *value);

#endif
