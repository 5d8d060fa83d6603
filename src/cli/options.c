// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "bpf_setup.h"
#include "containers.h"
#include "options.h"
#include "parse_num.h"
#include "vm_decode.h"
#include "vmevents_shared.h"

#define MAX_SECONDS	86400.0
#define MAX_OPTIONS	32

static const struct option common_long[] = {
	{ "interval", required_argument, NULL, 'i' },
	{ "duration", required_argument, NULL, 'd' },
	{ "intervals", required_argument, NULL, 'n' },
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
};

static bool takes(const struct cli_command *cmd, int c)
{
	return (c == 'i' && (cmd->common & CLI_INTERVAL)) ||
	       (c == 'd' && (cmd->common & CLI_DURATION)) ||
	       (c == 'n' && (cmd->common & CLI_INTERVALS)) ||
	       (c == 'j' && (cmd->common & CLI_JSON)) || c == 'v' || c == 'h';
}

/* getopt's tables: the shared options this command takes, then its own. */
static void tables(const struct cli_command *cmd, char *shorts, size_t len,
		   struct option *longs)
{
	int n = 0;

	snprintf(shorts, len, "%s%s%s%svh%s", cmd->common & CLI_INTERVAL ? "i:" : "",
		 cmd->common & CLI_DURATION ? "d:" : "", cmd->common & CLI_INTERVALS ? "n:" : "",
		 cmd->common & CLI_JSON ? "j" : "", cmd->own_short ? cmd->own_short : "");
	for (size_t i = 0; i < sizeof(common_long) / sizeof(common_long[0]); i++)
		if (takes(cmd, common_long[i].val))
			longs[n++] = common_long[i];
	for (const struct option *o = cmd->own_long; o && o->name && n < MAX_OPTIONS; o++)
		longs[n++] = *o;
	memset(&longs[n], 0, sizeof(longs[n]));
}

static void bad_option(const struct cli_command *cmd, int argc, char **argv)
{
	const char *bad = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

	if (optopt && optopt != '?' && bad[0] == '-' && bad[1] != '-')
		fprintf(stderr, "kvas %s: bad or incomplete option '-%c' (try 'kvas %s --help')\n",
			cmd->name, optopt, cmd->name);
	else
		fprintf(stderr, "kvas %s: bad or incomplete option '%s' (try 'kvas %s --help')\n",
			cmd->name, bad, cmd->name);
}

/* Seconds for option name, above 0 or at least min (when not 0), at most a day. */
static int seconds(const struct cli_command *cmd, const char *name, const char *arg,
		   double min, double *out)
{
	char want[64];
	double v;

	if (!parse_duration(arg, MAX_SECONDS, &v) && v >= min) {
		*out = v;
		return 0;
	}
	if (min)
		snprintf(want, sizeof(want), "seconds, at least %g and at most %g", min,
			 MAX_SECONDS);
	else
		parse_duration_expected(MAX_SECONDS, want, sizeof(want));
	fprintf(stderr, "kvas %s: --%s takes %s, not '%s'\n", cmd->name, name, want, arg);
	return -1;
}

int cli_u64(const struct cli_command *cmd, const char *name, const char *arg,
	    uint64_t min, uint64_t max, uint64_t *out)
{
	char want[80];

	if (!parse_u64(arg, min, max, out))
		return 0;
	fprintf(stderr, "kvas %s: %s takes %s, not '%s'\n", cmd->name, name,
		parse_u64_expected(min, max, want, sizeof(want)), arg);
	return -1;
}

int cli_events(const struct cli_command *cmd, const char *arg, uint32_t *mask)
{
	char buf[128], *tok, *save = NULL;

	*mask = 0;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int k = vm_event_by_name(tok);

		if (!strcmp(tok, "faults"))
			*mask |= VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL);
		else if (!strcmp(tok, "all"))
			*mask |= VM_MASK(VM_FAULT_USER) | VM_MASK(VM_FAULT_KERNEL) |
				 VM_MASK(VM_TLB_FLUSH);
		else if (k >= 0 && k < VM_NR_TRACED)
			*mask |= VM_MASK(k);
		else
			*mask = 0;
		if (!*mask)
			break;
	}
	if (*mask)
		return 0;
	fprintf(stderr, "kvas %s: unknown event in '%s' (fault-user, fault-kernel, tlb-flush,"
		" faults, all)\n", cmd->name, arg);
	return -1;
}

int cli_buffer_size(const struct cli_command *cmd, const char *arg, uint32_t *bytes)
{
	uint64_t kb;

	if (parse_u64(arg, 4, 1 << 20, &kb) || (kb & (kb - 1))) {
		fprintf(stderr, "kvas %s: --buffer-size takes a power of two in KB, 4 to 1048576,"
			" not '%s'\n", cmd->name, arg);
		return -1;
	}
	*bytes = (uint32_t)(kb * 1024);
	return 0;
}

int cli_containers(const struct cli_command *cmd, const char *arg,
		   struct container_prefixes *cp, bool *on)
{
	if (!container_prefixes_add(cp, arg)) {
		*on = true;
		return 0;
	}
	fprintf(stderr, "kvas %s: --container takes container ids or prefixes of %d to %d hex"
		" digits (%d at most), not '%s'\n", cmd->name, CONTAINER_PREFIX_MIN,
		CONTAINER_ID_LEN, CONTAINER_PREFIXES_MAX, arg);
	return -1;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv,
	      struct cli_opts *o, void *cfg)
{
	struct option longs[MAX_OPTIONS + 1];
	char shorts[64];
	int c;

	tables(cmd, shorts, sizeof(shorts), longs);
	/* 0, not 1: glibc then also drops where an earlier parse stopped inside "-abc" */
	optind = 0;
	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		/* a shared letter a command does not take may be its own (report's -i) */
		if (c != '?' && c != ':' && !takes(cmd, c) && strchr("idnj", c)) {
			if (!cmd->option || cmd->option(cfg, c, optarg))
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'i':
			if (seconds(cmd, "interval", optarg, cmd->min_interval, &o->interval))
				return EXIT_USAGE;
			break;
		case 'n':
			if (cli_u64(cmd, "-n, --intervals", optarg, 1, UINT32_MAX, &o->intervals))
				return EXIT_USAGE;
			break;
		case 'd':
			if (seconds(cmd, "duration", optarg, 0, &o->duration))
				return EXIT_USAGE;
			break;
		case 'j': o->json = true; break;
		case 'v': o->verbose = true; break;
		case 'h': fputs(cmd->usage, stdout); return EXIT_OK;
		case '?': case ':':
			bad_option(cmd, argc, argv);
			return EXIT_USAGE;
		default:
			if (!cmd->option || cmd->option(cfg, c, optarg))
				return EXIT_USAGE;
		}
	}
	o->first_arg = optind;
	o->nr_args = argc - optind;
	if (!cmd->args && o->nr_args) {
		fprintf(stderr, "kvas %s: unexpected argument '%s'\n", cmd->name, argv[optind]);
		return EXIT_USAGE;
	}
	if (cmd->args && !o->nr_args) {
		fprintf(stderr, "kvas %s: no %s given (try 'kvas %s --help')\n", cmd->name,
			cmd->args, cmd->name);
		return EXIT_USAGE;
	}
	return CLI_GO;
}

int cli_start(const struct cli_command *cmd, const struct cli_opts *o)
{
	(void)cmd;
	if (!check_privileges())
		return EXIT_RUNTIME;
	if (!libbpf_start(o->verbose))
		return EXIT_RUNTIME;
	return CLI_GO;
}
