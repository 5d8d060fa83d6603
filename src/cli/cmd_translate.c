// SPDX-License-Identifier: GPL-2.0
/* kvas translate: addresses to the physical facts behind them. */
#include <stdio.h>
#include <stdlib.h>

#include "format.h"
#include "json_util.h"
#include "watch.h"
#include "options.h"
#include "procfs_read.h"
#include "translate_print.h"
#include "translate_read.h"
#include "translate_run.h"

static const char translate_usage[] =
"Usage: kvas translate [OPTIONS] ADDRESS...\n"
"\n"
"Translate addresses (hex, with or without 0x) on the running kernel:\n"
"  a kernel virtual address   its region, physical address, pfn, struct page\n"
"                             and direct-map alias (direct map by arithmetic,\n"
"                             kernel image through phys_base, the rest by a\n"
"                             page-table walk)\n"
"  a user address with -p     walked in BPF in that process's page tables:\n"
"                             physical address, page size, flags, mapping,\n"
"                             and the direct-map address the kernel reads it at\n"
"  a struct page address      the pfn and physical page it describes\n"
"  a physical address --phys  its direct-map address, pfn, struct page and\n"
"                             /proc/iomem resource\n"
"\n"
"Options:\n"
"  -p, --pid PID   user addresses belong to process PID\n"
"  -P, --phys      the addresses are physical\n"
"  -w, --walk      show every level of the page-table walk\n"
"  -r, --read N    also read N bytes (at most 4096, up to the end of the\n"
"                  page) at the address, in BPF with the kernel's nofault\n"
"                  copy; user and physical addresses are read through the\n"
"                  direct map, and only System RAM is read\n"
"      --page      decode the struct page behind the physical address\n"
"                  (BTF of the running kernel): flags, page type, refcount,\n"
"                  mapcount, mapping, memcg, node and zone, folio head/order\n"
"  -j, --json      one JSON array, one object per address\n"
"  -v, --verbose   show libbpf's messages\n"
"  -h, --help      this text\n"
"\n"
"Every address is answered; kvas exits 1 if any of them failed.\n"
"\n"
"Examples:\n"
"  sudo kvas translate $(sudo kvas layout --json | jq -r .values._text.value)\n"
"  sudo kvas translate -p $$ $(head -1 /proc/$$/maps | cut -d- -f1) --walk\n"
"  sudo kvas translate --phys 0x1000000\n"
"  sudo kvas translate --phys --read 64 0x1000000\n"
"  sudo kvas translate --json --phys 0x1000000 0x2000000\n";

struct translate_cfg {
	uint64_t pid;		/* 0: kernel addresses only */
	uint64_t read_len;	/* --read N; 0: no read */
	bool phys, walk, page;
};

static const struct cli_command translate_cli;

static int translate_option(void *cfg, int opt, const char *arg)
{
	struct translate_cfg *c = cfg;

	switch (opt) {
	case 'p': return cli_u64(&translate_cli, "-p, --pid", arg, 1, 4194304, &c->pid);
	case 'P': c->phys = true; return 0;
	case 'w': c->walk = true; return 0;
	case 'r': return cli_u64(&translate_cli, "-r, --read", arg, 1, 4096, &c->read_len);
	case OPT_PAGE: c->page = true; return 0;
	}
	return -1;
}

static const struct option translate_long[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "phys", no_argument, NULL, 'P' },
	{ "walk", no_argument, NULL, 'w' },
	{ "read", required_argument, NULL, 'r' },
	{ "page", no_argument, NULL, OPT_PAGE },
	{ 0 },
};

static const struct cli_command translate_cli = {
	.name = "translate", .usage = translate_usage, .common = CLI_JSON,
	.own_short = "p:Pwr:", .own_long = translate_long, .args = "ADDRESS",
	.option = translate_option,
};

/* One address: translated, read when asked, and printed or added to results. */
static bool translate_address(struct translator *tr, const struct iomem *io, const char *addr,
			      const struct translate_cfg *cfg, json_t *results)
{
	struct translation t;
	bool ok = true;

	translate_one(tr, addr, cfg->phys ? TIN_PHYSICAL : TIN_VIRTUAL, (pid_t)cfg->pid, &t);
	if (t.error[0]) {
		ok = false;
		fprintf(stderr, "kvas translate: %s: %s\n", t.input, t.error);
	}
	if (cfg->page) {
		translation_page(tr, &t);
		if (t.have_pa && !t.page.decoded) {
			ok = false;
			fprintf(stderr, "kvas translate: %s: %s\n", t.input, t.page.error);
		}
	}
	if (cfg->read_len && translation_read(tr->kr, io, cfg->read_len, &t)) {
		char why[160];

		ok = false;
		fprintf(stderr, "kvas translate: %s: cannot read it: %s\n", t.input,
			translation_read_error(&t, why, sizeof(why)));
	}
	if (results)
		json_array_append_new(results, translation_json(&t));
	else
		translation_text(&t, cfg->walk, stdout);
	return ok;
}

static int translate_run(const struct translate_cfg *cfg, const struct cli_opts *o,
			 char **addrs)
{
	struct translator tr = { 0 };
	struct discovery *d = live_layout(&tr, "translate");
	json_t *results = o->json ? json_array() : NULL;
	int status = EXIT_RUNTIME;
	bool failed = false;
	struct iomem io;

	if (!d)
		goto cleanup;
	if (cfg->read_len && iomem_read(&io)) {
		fprintf(stderr, "kvas translate: cannot read /proc/iomem to tell RAM from device memory\n");
		goto cleanup;
	}
	for (int i = 0; i < o->nr_args; i++) {
		if (!translate_address(&tr, &io, addrs[i], cfg, results))
			failed = true;
		if (!o->json && i + 1 < o->nr_args)
			putchar('\n');
	}
	if (o->json && json_emit(results, stdout)) {
		results = NULL;
		goto cleanup;	/* named by main (stdout_finish) */
	}
	results = NULL;
	status = failed ? EXIT_RUNTIME : EXIT_OK;
cleanup:
	json_decref(results);
	live_release(&tr, d);
	return status;
}

int cmd_translate(int argc, char **argv)
{
	struct translate_cfg cfg = { 0 };
	struct cli_opts o = { 0 };
	int st = cli_parse(&translate_cli, argc, argv, &o, &cfg);

	if (st == CLI_GO && cfg.phys && cfg.pid) {
		fprintf(stderr, "kvas translate: --phys and --pid do not go together\n");
		st = EXIT_USAGE;
	}
	/* an argument that is no number at all is a usage error, found before any load */
	for (int i = 0; st == CLI_GO && i < o.nr_args; i++) {
		const char *arg = argv[o.first_arg + i];
		uint64_t addr;

		if (parse_hex_u64(arg, &addr)) {
			fprintf(stderr, "kvas translate: '%s' is not an address (hex, 0x optional)\n",
				arg);
			st = EXIT_USAGE;
		}
	}
	if (st == CLI_GO)
		st = cli_start(&translate_cli, &o);
	return st == CLI_GO ? translate_run(&cfg, &o, argv + o.first_arg) : st;
}
