// SPDX-License-Identifier: GPL-2.0
/*
 * The command line every command shares (src/cli/options.c): the input is
 * argv, one argument a line (NUL-separated also works), parsed by a command
 * that takes every shared option and its own through the helpers the real
 * commands use (cli_u64, cli_events, cli_buffer_size, cli_containers).
 * Nothing here exits: a mistake is one line on stderr and a status.
 */
#include <stdbool.h>

#include "bpf_setup.h"
#include "containers.h"
#include "fuzz.h"
#include "options.h"

#define MAX_ARGS 64

/* cli_start's callees, never reached from cli_parse: kept out of the link. */
bool check_privileges(void) { return false; }
bool libbpf_start(bool verbose) { (void)verbose; return false; }

struct own {
	uint64_t rows;
	uint32_t events, buffer;
	struct container_prefixes cp;
	bool containers;
};

static int own_option(void *cfg, int opt, const char *arg);

static const struct option own_long[] = {
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "events", required_argument, NULL, 'e' },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
	{ "container", required_argument, NULL, OPT_CONTAINERS },
	{ 0 },
};

static const struct cli_command fuzz_cmd = {
	.name = "fuzz", .usage = "kvas fuzz [options] ARG...\n",
	.common = CLI_INTERVAL | CLI_DURATION | CLI_JSON | CLI_INTERVALS,
	.own_short = "e:", .own_long = own_long, .args = "ARG",
	.option = own_option, .min_interval = CLI_MIN_REFRESH,
};

static int own_option(void *cfg, int opt, const char *arg)
{
	struct own *o = cfg;

	switch (opt) {
	case OPT_ROWS:
		return cli_u64(&fuzz_cmd, "--rows", arg, 1, 10000, &o->rows);
	case 'e':
		return cli_events(&fuzz_cmd, arg, &o->events);
	case OPT_BUFFER_SIZE:
		return cli_buffer_size(&fuzz_cmd, arg, &o->buffer);
	case OPT_CONTAINERS:
		return cli_containers(&fuzz_cmd, arg, &o->cp, &o->containers);
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *argv[MAX_ARGS + 1] = { "kvas-fuzz" };
	struct cli_opts o = { .interval = 1.0 };
	struct own own = { 0 };
	int argc = 1;
	FILE *err;

	for (char *p = text; argc < MAX_ARGS && p < text + size; argc++) {
		size_t n = strcspn(p, "\n");

		argv[argc] = p;
		p[n] = '\0';
		p += n + 1;
	}
	argv[argc] = NULL;
	err = fuzz_quiet();
	cli_parse(&fuzz_cmd, argc, argv, &o, &own);
	fuzz_loud(err);
	free(text);
	return 0;
}
