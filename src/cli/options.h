/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line every command shares: -i/--interval, -d/--duration,
 * -j/--json, -v/--verbose, -h/--help, positional arguments, and one line on
 * stderr for any mistake (exit 2). A command adds its own options through
 * a callback; numbers go through parse_num.h, which names the limits.
 */
#ifndef KVAS_OPTIONS_H
#define KVAS_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "commands.h"		/* EXIT_OK, EXIT_RUNTIME, EXIT_USAGE */

#define CLI_GO	(-1)		/* cli_parse, cli_start: carry on */

/*
 * The shared options a command takes (-v and -h: every command). A letter
 * means one thing in every command (kvas(8) has the table): -i the
 * interval, -d the duration, -n the number of intervals (procps top's -n).
 */
enum cli_common {
	CLI_INTERVAL	= 1 << 0,	/* -i, --interval SECONDS (at least min_interval) */
	CLI_DURATION	= 1 << 1,	/* -d, --duration SECONDS */
	CLI_JSON	= 1 << 2,	/* -j, --json */
	CLI_INTERVALS	= 1 << 3,	/* -n, --intervals N */
};

/* Faster than this, a screen is unreadable and kvas only burns a CPU. */
#define CLI_MIN_REFRESH	0.1

struct cli_opts {
	double interval;	/* seconds; left as set before cli_parse when not given */
	double duration;	/* seconds; 0: until stopped */
	uint64_t intervals;	/* -n: stop after this many; 0: until stopped */
	bool json, verbose;
	int first_arg, nr_args;	/* the positional arguments in argv */
};

struct cli_command {
	const char *name;		/* "dmap" */
	const char *usage;		/* printed by --help */
	unsigned int common;		/* enum cli_common bits */
	const char *own_short;		/* its own getopt letters, "n:" */
	const struct option *own_long;	/* its own long options, { 0 }-ended; or NULL */
	const char *args;		/* positional arguments' name, "ADDRESS"; NULL: none */
	/* One of its own options into cfg: 0, or -1 after one line on stderr. */
	int (*option)(void *cfg, int opt, const char *arg);
	double min_interval;		/* -i: at least this (its --help says it); 0: above 0 */
};

/* Long options without a letter: values no letter has. */
enum cli_long_only {
	OPT_ROWS = 256, OPT_COMM, OPT_CGROUP, OPT_CSV, OPT_FORCE, OPT_BUFFER_SIZE,
	OPT_TEXTFILE, OPT_CONTAINERS, OPT_PAGE, OPT_LONG_ONLY_END,
};

/* argv into o (shared) and cfg (the command's own): CLI_GO, or the exit status. */
int cli_parse(const struct cli_command *cmd, int argc, char **argv,
	      struct cli_opts *o, void *cfg);
/* Privileges (one line naming what is missing), libbpf's logging: CLI_GO or EXIT_RUNTIME. */
int cli_start(const struct cli_command *cmd, const struct cli_opts *o);
/* A bounded whole number for option name: 0, or -1 after the error line naming the limits. */
int cli_u64(const struct cli_command *cmd, const char *name, const char *arg,
	    uint64_t min, uint64_t max, uint64_t *out);
/*
 * -e, --events LIST (fault-user, fault-kernel, tlb-flush, faults, all) into
 * a VM_MASK set: 0, or -1 after the error line.
 */
int cli_events(const struct cli_command *cmd, const char *arg, uint32_t *mask);
/* --buffer-size KB, a power of two (the ring buffer's rule), into bytes: 0, or -1. */
int cli_buffer_size(const struct cli_command *cmd, const char *arg, uint32_t *bytes);

struct container_prefixes;
/* --container: arg's ids or prefixes into cp, on: 0, or -1 after the error line. */
int cli_containers(const struct cli_command *cmd, const char *arg,
		   struct container_prefixes *cp, bool *on);

#endif
