// SPDX-License-Identifier: GPL-2.0
/* What every command shares: the privilege check and libbpf's logging. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "commands.h"
#include "kernel_btf.h"
#include "libbpf_log.h"
#include "privileges.h"

bool setup_libbpf_logging(bool verbose)
{
	const char *custom = kernel_btf_custom_path();

	libbpf_log_setup(verbose);
	/* a BTF file asked for by name must be there: silently using none misleads */
	if (custom && !kernel_btf()) {
		char why[128];

		/* libbpf's own errors (a file that is no BTF) have numbers past errno's */
		libbpf_strerror(errno, why, sizeof(why));
		fprintf(stderr, "kvas: cannot read the BTF in KVAS_BTF=%s: %s\n", custom, why);
		return false;
	}
	return true;
}

bool check_privileges(void)
{
	char missing[96];

	if (have_kvas_privileges(missing, sizeof(missing)))
		return true;
	fprintf(stderr, "kvas: needs root: missing %s (loading BPF tracing programs and reading physical addresses); run with sudo\n",
		missing);
	return false;
}


void usage_bad_option(const char *cmd, int argc, char **argv)
{
	const char *bad = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

	if (optopt && optopt != '?' && bad[0] == '-' && bad[1] != '-')
		fprintf(stderr, "kvas %s: bad or incomplete option '-%c' (try 'kvas %s --help')\n",
			cmd, optopt, cmd);
	else
		fprintf(stderr, "kvas %s: bad or incomplete option '%s' (try 'kvas %s --help')\n",
			cmd, bad, cmd);
}

int options_done(const char *cmd, int argc, char **argv, bool verbose)
{
	if (optind < argc) {
		fprintf(stderr, "kvas %s: unexpected argument '%s'\n", cmd, argv[optind]);
		return EXIT_USAGE;
	}
	if (!check_privileges())
		return EXIT_RUNTIME;
	if (!setup_libbpf_logging(verbose))
		return EXIT_RUNTIME;
	return -1;
}
