// SPDX-License-Identifier: GPL-2.0
/* What every command shares: the privilege check and libbpf's logging. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>

#include "commands.h"
#include "privileges.h"

static bool verbose_libbpf;

/* libbpf warns about probes kvas expects to fail; show them only with -v. */
static int libbpf_print(enum libbpf_print_level level __attribute__((unused)), const char *fmt, va_list ap)
{
	if (!verbose_libbpf)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void setup_libbpf_logging(bool verbose)
{
	verbose_libbpf = verbose;
	libbpf_set_print(libbpf_print);
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
	setup_libbpf_logging(verbose);
	return -1;
}
