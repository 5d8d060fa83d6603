// SPDX-License-Identifier: GPL-2.0
/* kvas serve: the live counters as Prometheus metrics, over HTTP or in a textfile. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "http_auth.h"
#include "http_server.h"
#include "http_tls.h"
#include "listen_addr.h"
#include "procfs.h"
#include "web_config.h"
#include "watch.h"
#include "options.h"
#include "outfile.h"
#include "serve_collect.h"

#define SERVE_DEFAULT_LISTEN	"127.0.0.1:9633"
#define WEB_CONFIG_MAX		(1024 * 1024)	/* inline PEMs make it a few KiB */

/* A refresh (walk and audit) takes about 0.2 s: faster would keep a CPU busy. */
#define SERVE_MIN_INTERVAL 1.0

static const char serve_usage[] =
"Usage: kvas serve [OPTIONS]\n"
"\n"
"A Prometheus exporter: page faults and TLB flushes (counted in the kernel,\n"
"read at each scrape), per container for the busiest ones, the direct map's\n"
"page sizes from a walk of its page tables, the audit's checks, and KASLR's\n"
"state and entropy (these refreshed every --interval); where the kernel lets\n"
"kvas hook them, the direct map's changes by the kernel function that made\n"
"them (read at each scrape). No kernel address,\n"
"base or offset is ever exported. /metrics answers in the text format\n"
"0.0.4, or in OpenMetrics 1.0 when the scraper asks for it.\n"
"\n"
"Options:\n"
"  -l, --listen HOST:PORT  where to serve /metrics (default " SERVE_DEFAULT_LISTEN ");\n"
"                          [ADDRESS]:PORT for IPv6; an address other than\n"
"                          loopback wants --web-config or --insecure\n"
"      --web-config FILE   TLS and basic auth, in the Prometheus exporter\n"
"                          toolkit's format (node_exporter's --web.config.file)\n"
"      --insecure          serve a non-loopback address without --web-config:\n"
"                          plain HTTP that anyone there can read\n"
"      --textfile DIR      write DIR/kvas.prom every interval for node_exporter's\n"
"                          textfile collector, instead of serving (not with -l)\n"
"      --containers N      containers with their own series, the busiest first\n"
"                          (default 50); the rest are summed in runtime=\"other\"\n"
"  -i, --interval SECONDS  how often the direct-map walk and the audit are\n"
"                          refreshed, and the textfile written (default 60, at\n"
"                          least 1: a refresh takes about 0.2 s; one that takes\n"
"                          longer than the interval is said on stderr)\n"
"  -d, --duration SECONDS  stop after this long (default: until SIGTERM)\n"
"  -n, --intervals N       stop after N refreshes (-n 1 --textfile: write once)\n"
"  -v, --verbose           show libbpf's messages\n"
"  -h, --help              this text\n"
"\n"
"SIGTERM or SIGINT stop it, with nothing left attached; SIGHUP refreshes the\n"
"walk and the audit at once (and writes the textfile), counters kept.\n"
"\n"
"Examples:\n"
"  sudo kvas serve\n"
"  sudo kvas serve --listen 0.0.0.0:9633 --web-config /etc/kvas/web.yml\n"
"  sudo kvas serve -l 0.0.0.0:9633 --insecure --containers 20 -i 300\n"
"  sudo mkdir -p /var/lib/prometheus/node-exporter &&\n"
"    sudo kvas serve --textfile /var/lib/prometheus/node-exporter -i 15\n"
"  sudo kvas serve --textfile /var/lib/prometheus/node-exporter -n 1   # from cron\n";

struct serve_cfg {
	const char *listen;
	bool listen_given;
	const char *textfile_dir;
	uint64_t cgroups;
	const char *web_config_path;
	struct web_config web;
	bool insecure;
};

enum { OPT_WEB_CONFIG = OPT_LONG_ONLY_END, OPT_INSECURE };

static int serve_option(void *cfg, int opt, const char *arg);

static const struct option serve_long[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "textfile", required_argument, NULL, OPT_TEXTFILE },
	{ "containers", required_argument, NULL, OPT_CONTAINERS },
	{ "web-config", required_argument, NULL, OPT_WEB_CONFIG },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ 0 },
};

static const struct cli_command serve_cli = {
	"serve", serve_usage, CLI_INTERVAL | CLI_DURATION | CLI_INTERVALS, "l:", serve_long, NULL,
	serve_option, SERVE_MIN_INTERVAL,
};

/* The file read and parsed as the option is given: a bad one is a usage error. */
static int web_config_read(struct serve_cfg *c, const char *path)
{
	char *text = malloc(WEB_CONFIG_MAX), why[256];
	int n = text ? read_small_file(path, text, WEB_CONFIG_MAX) : -ENOMEM;

	web_config_free(&c->web);
	if (n < 0 || n >= WEB_CONFIG_MAX - 1) {
		fprintf(stderr, "kvas serve: --web-config %s: %s\n", path,
			n < 0 ? strerror(-n) : "larger than 1 MiB");
		free(text);
		return -1;
	}
	n = web_config_parse(text, n, &c->web, why, sizeof(why));
	/* it may hold a key inline */
	explicit_bzero(text, WEB_CONFIG_MAX);
	free(text);
	if (n) {
		fprintf(stderr, "kvas serve: --web-config %s: %s\n", path, why);
		return -1;
	}
	c->web_config_path = path;
	return 0;
}

static int serve_option(void *cfg, int opt, const char *arg)
{
	struct serve_cfg *c = cfg;
	char host[256];
	uint16_t port;
	struct stat st;

	switch (opt) {
	case 'l':
		if (listen_addr_split(arg, host, sizeof(host), &port)) {
			fprintf(stderr, "kvas serve: --listen takes HOST:PORT or [IPv6]:PORT with a"
				" port from 1 to 65535, not '%s'\n", arg);
			return -1;
		}
		c->listen = arg;
		c->listen_given = true;
		return 0;
	case OPT_TEXTFILE:
		if (stat(arg, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "kvas serve: --textfile: '%s' is not a directory\n", arg);
			return -1;
		}
		c->textfile_dir = arg;
		return 0;
	case OPT_CONTAINERS:
		return cli_u64(&serve_cli, "--containers", arg, 0, 10000, &c->cgroups);
	case OPT_WEB_CONFIG:
		return web_config_read(c, arg);
	case OPT_INSECURE:
		c->insecure = true;
		return 0;
	}
	return -1;
}

static volatile sig_atomic_t refresh_asked;

static void on_hup(int sig)
{
	(void)sig;
	refresh_asked = 1;
}

/* DIR/kvas.prom, replaced whole: node_exporter never reads half a file. */
static int write_textfile(struct serve_collector *c, const char *dir)
{
	char path[1024], why[PATH_MAX + 64], *body = NULL;
	struct outfile of;
	size_t len = 0;
	bool ok;

	snprintf(path, sizeof(path), "%s/kvas.prom", dir);
	/* the file of the last interval is replaced: that is the point */
	if (outfile_open(&of, path, true, why, sizeof(why))) {
		fprintf(stderr, "kvas serve: %s\n", why);
		return -1;
	}
	/* no secret in it, and node_exporter runs as another user: readable by all */
	if (of.tmp[0])
		chmod(of.tmp, 0644);
	ok = !serve_collector_write(c, PROM_TEXT, &body, &len) &&
	     fwrite(body, 1, len, of.out) == len;
	free(body);
	/* a half-written file is not kept: the last whole one stays */
	if (outfile_finish(&of, ok, "serve"))
		return -1;
	if (!ok) {
		fprintf(stderr, "kvas serve: %s not rewritten: the counters could not be read\n",
			path);
		return -1;
	}
	return 0;
}

/* Refresh every interval (and on SIGHUP) until SIGTERM or SIGINT. */
static int serve_loop(struct serve_collector *c, const struct serve_cfg *cfg,
		      const struct cli_opts *o)
{
	struct live_pace pace = { .cmd = "serve", .interval = o->interval };
	double next = monotonic_ns() / 1e9, end = next + o->duration;
	uint64_t refreshes = 0;

	while (!live_stop) {
		double now = monotonic_ns() / 1e9, left = next - now;

		if (o->duration && now >= end)
			break;
		if (o->duration && end < next)
			left = end - now;
		if (left > 0 && !refresh_asked) {
			live_wait(left > 1 ? 1000 : (int)(left * 1000) + 1);
			continue;
		}
		if (o->duration && monotonic_ns() / 1e9 >= end)
			break;
		refresh_asked = 0;
		live_pace_start(&pace);
		serve_collector_refresh(c);
		if (cfg->textfile_dir && write_textfile(c, cfg->textfile_dir))
			return EXIT_RUNTIME;
		live_pace_end(&pace);
		next = monotonic_ns() / 1e9 + o->interval;
		if (o->intervals && ++refreshes >= o->intervals)
			break;
	}
	return EXIT_OK;
}

static int serve_run(const struct serve_cfg *cfg, const struct cli_opts *o)
{
	struct sigaction hup = { .sa_handler = on_hup };
	struct serve_collector c;
	struct http_server *http = NULL;
	struct http_tls *tls = NULL;
	struct http_auth *auth = NULL;
	struct translator tr = { 0 };
	struct discovery *d;
	int status = EXIT_RUNTIME;
	char why[256];

	/* certificates and users first: a bad one is said before anything loads */
	if (http_tls_load(&cfg->web, cfg->web_config_path, &tls, why, sizeof(why)) ||
	    http_auth_new(&cfg->web, &auth, why, sizeof(why))) {
		fprintf(stderr, "kvas serve: --web-config %s: %s\n", cfg->web_config_path, why);
		http_tls_free(tls);
		return EXIT_RUNTIME;
	}
	live_signals();
	sigemptyset(&hup.sa_mask);
	sigaction(SIGHUP, &hup, NULL);
	d = live_layout(&tr, "serve");
	if (!d)
		goto out_access;
	if (serve_collector_open(&c, &tr, d, cfg->cgroups, o->interval, why, sizeof(why))) {
		fprintf(stderr, "kvas serve: %s\n", why);
		live_release(&tr, d);
		goto out_access;
	}
	c.version = KVAS_VERSION;
	/* once: the exposition says method="none", this says why */
	if (c.attribution_why[0])
		fprintf(stderr, "kvas serve: direct-map change attribution %s\n",
			c.attribution_why);
	if (!cfg->textfile_dir) {
		http = http_server_start(cfg->listen, tls, auth, serve_collector_write, &c, why,
					 sizeof(why));
		if (!http) {
			fprintf(stderr, "kvas serve: %s\n", why);
			goto out;
		}
		fprintf(stderr, "kvas serve: serving %s://%s/metrics%s\n", tls ? "https" : "http",
			cfg->listen, auth ? " (basic auth)" : "");
	}
	status = serve_loop(&c, cfg, o);
out:
	http_server_stop(http);
	serve_collector_close(&c);
	live_release(&tr, d);
out_access:
	http_auth_free(auth);
	http_tls_free(tls);
	return status;
}

/*
 * Beyond loopback, the metrics (every container's activity) would be open
 * to that network: only through --web-config's TLS and users, or when asked.
 */
static int serve_check_access(const struct serve_cfg *cfg)
{
	char host[256];
	uint16_t port;

	if (cfg->textfile_dir) {
		if (!cfg->web_config_path && !cfg->insecure)
			return CLI_GO;
		fprintf(stderr, "kvas serve: --web-config and --insecure are for serving, not"
			" with --textfile\n");
		return EXIT_USAGE;
	}
	if (cfg->web_config_path || cfg->insecure ||
	    listen_addr_split(cfg->listen, host, sizeof(host), &port) ||
	    listen_addr_is_loopback(host))
		return CLI_GO;
	fprintf(stderr, "kvas serve: --listen %s is not loopback: its metrics would go to that"
		" network in the clear to anyone; add --web-config FILE (TLS, basic auth), or"
		" --insecure to serve it so anyway\n", cfg->listen);
	return EXIT_USAGE;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_cfg cfg = { .listen = SERVE_DEFAULT_LISTEN, .cgroups = 50 };
	struct cli_opts o = { .interval = 60 };
	int st = cli_parse(&serve_cli, argc, argv, &o, &cfg);

	if (st == CLI_GO && cfg.listen_given && cfg.textfile_dir) {
		fprintf(stderr, "kvas serve: --listen and --textfile: one or the other\n");
		st = EXIT_USAGE;
	}
	if (st == CLI_GO)
		st = serve_check_access(&cfg);
	if (st == CLI_GO)
		st = cli_start(&serve_cli, &o);
	if (st == CLI_GO)
		st = serve_run(&cfg, &o);
	web_config_free(&cfg.web);
	return st;
}
