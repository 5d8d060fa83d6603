// SPDX-License-Identifier: GPL-2.0
/*
 * kvas serve --web-config: Debian's real Prometheus scrapes it through TLS,
 * with a client certificate and basic auth (a bcrypt hash made here), as
 * RequireAndVerifyClientCert and basic_auth_users ask; curl is refused
 * without credentials (401, WWW-Authenticate), with a wrong password or
 * user (401), in plain HTTP to the TLS port, without a client certificate
 * and with one from another CA (the handshake fails); with
 * VerifyClientCertIfGiven, a client without one is let in. Certificates are made
 * with openssl in a temporary directory, removed at the end. And the
 * refusals at start: a non-loopback --listen without --web-config, an
 * unknown key (its line), a key that does not match its certificate.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <crypt.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http_get.h"
#include "testlib.h"

#define SERVE_WAIT_MS 30000
/* Prometheus's first up == 1 takes 5-6 s here (DESIGN.md) */
#define PROMETHEUS_WAIT_MS 60000
#define USER "prom"
#define PASSWORD "s3cret scrape"
#define SKIP_BECAUSE(why) do { print_message("skipped: %s\n", why); skip(); } while (0)

/* The temporary directory with the certificates and the web config; the servers. */
static struct {
	char dir[64];
	struct bg_kvas kvas;
	uint16_t port;
	pid_t prometheus;
	uint16_t prometheus_port;
	bool tools;		/* openssl and curl found */
} tls;

static bool have_program(const char *name)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tls.dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A CA (name.crt/.key), and a certificate it signs (leaf.crt/.key) with ext. */
static void make_ca(const char *name)
{
	assert_int_equal(sh("cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256"
			    " -nodes -keyout %s.key -out %s.crt -days 2 -subj /CN=kvas-test-%s"
			    " 2>/dev/null", tls.dir, name, name, name), 0);
}

static void make_cert(const char *ca, const char *leaf, const char *ext)
{
	assert_int_equal(sh("cd %s && printf '%s\\n' > %s.ext &&"
			    " openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
			    " -keyout %s.key -out %s.csr -subj /CN=kvas-test-%s 2>/dev/null &&"
			    " openssl x509 -req -in %s.csr -CA %s.crt -CAkey %s.key -CAcreateserial"
			    " -out %s.crt -days 2 -extfile %s.ext 2>/dev/null", tls.dir, ext, leaf,
			    leaf, leaf, leaf, leaf, ca, ca, leaf, leaf), 0);
}

/* bcrypt (cost 6: the test pays it once per new password) through libcrypt. */
static void make_hash(char *out, size_t len)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data cd = { 0 };
	const char *h;

	assert_non_null(crypt_gensalt_rn("$2b$", 6, NULL, 0, salt, sizeof(salt)));
	h = crypt_r(PASSWORD, salt, &cd);
	assert_non_null(h);
	assert_int_equal(strncmp(h, "$2b$06$", 7), 0);
	snprintf(out, len, "%s", h);
}

/* curl to kvas's port with args: the HTTP status (0: none), curl's exit in *rc. */
static int curl(const char *args, int *rc, char *headers, size_t hlen)
{
	char cmd[1024], out[4096] = "";
	int status = 0;
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "cd %s && curl -sS --max-time 10 -o /dev/null -D - -w"
		 " 'status=%%{http_code}\\n' %s 2>&1; echo rc=$?", tls.dir, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	pclose(p);
	sscanf(strstr(out, "status=") ?: "status=0", "status=%d", &status);
	*rc = -1;
	sscanf(strstr(out, "rc=") ?: "rc=-1", "rc=%d", rc);
	if (headers)
		snprintf(headers, hlen, "%s", out);
	return status;
}

#define CURL_TLS "--cacert ca.crt --cert client.crt --key client.key"

static bool scraped(void *arg)
{
	char url[160];
	int rc;

	(void)arg;
	snprintf(url, sizeof(url), CURL_TLS " -u '" USER ":" PASSWORD "'"
		 " https://127.0.0.1:%u/metrics", tls.port);
	return curl(url, &rc, NULL, 0) == 200;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state);

/* The certificates, the hash, the web config, and kvas serving it. */
static int setup(void **state)
{
	char hash[128], config[512], listen[32], web[128];
	const char *args[] = { "serve", "--listen", listen, "--web-config", web, NULL };

	(void)state;
	tls.tools = have_program("openssl") && have_program("curl");
	snprintf(tls.dir, sizeof(tls.dir), "/tmp/kvas-test-tls-XXXXXX");
	assert_non_null(mkdtemp(tls.dir));
	if (!tls.tools)
		return 0;
	make_ca("ca");
	make_cert("ca", "server", "subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth");
	make_cert("ca", "client", "extendedKeyUsage=clientAuth");
	make_ca("other-ca");
	make_cert("other-ca", "stranger", "extendedKeyUsage=clientAuth");
	make_hash(hash, sizeof(hash));
	/* relative paths: from the file's directory, as the toolkit has it */
	snprintf(config, sizeof(config), "tls_server_config:\n  cert_file: server.crt\n"
		 "  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n"
		 "  client_ca_file: ca.crt\nbasic_auth_users:\n  " USER ": '%s'\n", hash);
	write_file("web.yml", config);
	snprintf(web, sizeof(web), "%s/web.yml", tls.dir);
	tls.port = free_tcp_port();
	assert_int_not_equal(tls.port, 0);
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", tls.port);
	assert_int_equal(bg_kvas_start(&tls.kvas, args), 0);
	if (!wait_until(scraped, NULL, SERVE_WAIT_MS)) {
		char *err = bg_kvas_stderr(&tls.kvas);

		fprintf(stderr, "kvas serve did not answer through TLS on %u: %s\n", tls.port, err);
		free(err);
		teardown(state);
		return -1;
	}
	return 0;
}

static void prometheus_stop(void)
{
	int status;

	if (tls.prometheus > 0) {
		kill(tls.prometheus, SIGTERM);
		waitpid(tls.prometheus, &status, 0);
		tls.prometheus = 0;
	}
}

/* Everything stopped, kvas's exit checked, the directory removed. */
static int teardown(void **state)
{
	(void)state;
	prometheus_stop();
	if (tls.kvas.pid > 0) {
		int status = bg_kvas_wait(&tls.kvas, SIGTERM);

		if (status)
			fprintf(stderr, "kvas serve exited %d\n", status);
		bg_kvas_cleanup(&tls.kvas);
	}
	bg_kvas_kill_all();
	if (tls.dir[0])
		nftw(tls.dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return wait_no_kvas_progs();
}

/* GET path of Prometheus's API: the body's JSON (caller decrefs), or NULL. */
static json_t *prometheus_api(const char *path)
{
	struct http_answer a;
	json_t *root = NULL;

	if (!http_request(tls.prometheus_port, "GET", path, NULL, &a) && a.status == 200)
		root = json_loads(a.body, 0, NULL);
	http_answer_free(&a);
	return root;
}

/* The kvas target is up: scraped through TLS with the client certificate and the user. */
static bool target_up(void *arg)
{
	json_t *root = prometheus_api("/api/v1/targets?state=active"), *targets;
	bool up = false;
	size_t i;
	json_t *t;

	targets = json_object_get(json_object_get(root, "data"), "activeTargets");
	json_array_foreach(targets, i, t)
		up |= !strcmp(json_string_value(json_object_get(t, "health")) ?: "", "up") &&
		      !strcmp(json_string_value(json_object_get(t, "scrapeUrl")) ?: "", arg ?: "");
	json_decref(root);
	return up;
}

static bool metric_stored(void *arg)
{
	json_t *root = prometheus_api("/api/v1/query?query=kvas_build_info"), *result;
	bool ok;

	(void)arg;
	result = json_object_get(json_object_get(root, "data"), "result");
	ok = json_array_size(result) > 0;
	json_decref(root);
	return ok;
}

static void test_prometheus(void **state)
{
	char config[1024], a_conf[160], a_data[160], a_web[64], log[128], url[96];

	(void)state;
	if (!tls.tools)
		SKIP_BECAUSE("no openssl or curl: scripts/install-deps test installs them");
	if (!have_program("prometheus"))
		SKIP_BECAUSE("no prometheus: scripts/install-deps test installs Debian's");
	snprintf(config, sizeof(config),
		 "global:\n  scrape_interval: 1s\n"
		 "scrape_configs:\n  - job_name: kvas\n    scheme: https\n"
		 "    tls_config:\n      ca_file: %s/ca.crt\n      cert_file: %s/client.crt\n"
		 "      key_file: %s/client.key\n"
		 "    basic_auth:\n      username: " USER "\n      password: '" PASSWORD "'\n"
		 "    static_configs:\n      - targets: ['127.0.0.1:%u']\n",
		 tls.dir, tls.dir, tls.dir, tls.port);
	write_file("prometheus.yml", config);
	tls.prometheus_port = free_tcp_port();
	assert_int_not_equal(tls.prometheus_port, 0);
	snprintf(a_conf, sizeof(a_conf), "--config.file=%s/prometheus.yml", tls.dir);
	snprintf(a_data, sizeof(a_data), "--storage.tsdb.path=%s/data", tls.dir);
	snprintf(a_web, sizeof(a_web), "--web.listen-address=127.0.0.1:%u", tls.prometheus_port);
	snprintf(log, sizeof(log), "%s/prometheus.log", tls.dir);
	tls.prometheus = fork();
	assert_true(tls.prometheus >= 0);
	if (!tls.prometheus) {
		FILE *l = freopen(log, "w", stderr);

		if (l)
			dup2(fileno(l), 1);
		execlp("prometheus", "prometheus", a_conf, a_data, a_web, (char *)NULL);
		_exit(127);
	}
	snprintf(url, sizeof(url), "https://127.0.0.1:%u/metrics", tls.port);
	if (!wait_until(target_up, url, PROMETHEUS_WAIT_MS)) {
		sh("tail -5 %s >&2", log);
		fail_msg("Prometheus never scraped %s through TLS and basic auth", url);
	}
	assert_true(wait_until(metric_stored, NULL, PROMETHEUS_WAIT_MS));
	prometheus_stop();
}

static void test_refused(void **state)
{
	char args[256], out[4096];
	int rc;

	(void)state;
	if (!tls.tools)
		SKIP_BECAUSE("no openssl or curl: scripts/install-deps test installs them");
	/* no credentials: 401, and the scheme to use */
	snprintf(args, sizeof(args), CURL_TLS " https://127.0.0.1:%u/metrics", tls.port);
	assert_int_equal(curl(args, &rc, out, sizeof(out)), 401);
	assert_non_null(strcasestr(out, "WWW-Authenticate: Basic realm=\"kvas\""));
	/* for any path: not even a 404 before the credentials */
	snprintf(args, sizeof(args), CURL_TLS " https://127.0.0.1:%u/nothing", tls.port);
	assert_int_equal(curl(args, &rc, NULL, 0), 401);
	/* a wrong password, twice (the second from the cache), and a user nobody has */
	for (int i = 0; i < 2; i++) {
		snprintf(args, sizeof(args), CURL_TLS " -u '" USER ":wrong' https://127.0.0.1:%u/metrics",
			 tls.port);
		assert_int_equal(curl(args, &rc, NULL, 0), 401);
	}
	snprintf(args, sizeof(args), CURL_TLS " -u 'nobody:" PASSWORD "' https://127.0.0.1:%u/metrics",
		 tls.port);
	assert_int_equal(curl(args, &rc, NULL, 0), 401);
	/* plain HTTP to the TLS port: no HTTP answer at all */
	snprintf(args, sizeof(args), "-u '" USER ":" PASSWORD "' http://127.0.0.1:%u/metrics",
		 tls.port);
	assert_int_equal(curl(args, &rc, out, sizeof(out)), 0);
	assert_int_not_equal(rc, 0);
	/* no client certificate, and one from another CA: no HTTP answer */
	snprintf(args, sizeof(args), "--cacert ca.crt -u '" USER ":" PASSWORD "'"
		 " https://127.0.0.1:%u/metrics", tls.port);
	assert_int_equal(curl(args, &rc, NULL, 0), 0);
	assert_int_not_equal(rc, 0);
	snprintf(args, sizeof(args), "--cacert ca.crt --cert stranger.crt --key stranger.key"
		 " -u '" USER ":" PASSWORD "' https://127.0.0.1:%u/metrics", tls.port);
	assert_int_equal(curl(args, &rc, NULL, 0), 0);
	assert_int_not_equal(rc, 0);
	/* in TLS 1.2 the client's certificate is in the handshake, which fails: curl's 35 */
	snprintf(args, sizeof(args), "--tls-max 1.2 --cacert ca.crt --cert stranger.crt"
		 " --key stranger.key -u '" USER ":" PASSWORD "' https://127.0.0.1:%u/metrics",
		 tls.port);
	assert_int_equal(curl(args, &rc, out, sizeof(out)), 0);
	if (rc != 35)
		fail_msg("TLS 1.2 with a stranger's certificate: curl %d, not 35: %s", rc, out);
	/* and the right ones still work, in TLS 1.2 too */
	snprintf(args, sizeof(args), "--tls-max 1.2 " CURL_TLS " -u '" USER ":" PASSWORD "'"
		 " https://127.0.0.1:%u/metrics", tls.port);
	assert_int_equal(curl(args, &rc, NULL, 0), 200);
}

/* curl's status for TLS 1.2 to port with args, as a client of another kvas. */
static int curl_port(uint16_t port, const char *cert, int *rc)
{
	char args[256];

	snprintf(args, sizeof(args), "--tls-max 1.2 --cacert ca.crt %s https://127.0.0.1:%u/metrics",
		 cert, port);
	return curl(args, rc, NULL, 0);
}

static bool answers_without_cert(void *arg)
{
	int rc;

	return curl_port(*(uint16_t *)arg, "", &rc) == 200;
}

/*
 * VerifyClientCertIfGiven, without users: no certificate is let in, one
 * from the CA too; one from another CA, or the CA's but for a server (its
 * key purpose), fails the handshake (curl's 35).
 */
static void test_verify_if_given(void **state)
{
	char listen[32], web[128];
	const char *args[] = { "serve", "--listen", listen, "--web-config", web, NULL };
	struct bg_kvas kvas;
	uint16_t port;
	int rc;

	(void)state;
	if (!tls.tools)
		SKIP_BECAUSE("no openssl or curl: scripts/install-deps test installs them");
	write_file("if-given.yml", "tls_server_config:\n  cert_file: server.crt\n"
		   "  key_file: server.key\n  client_auth_type: VerifyClientCertIfGiven\n"
		   "  client_ca_file: ca.crt\n");
	snprintf(web, sizeof(web), "%s/if-given.yml", tls.dir);
	port = free_tcp_port();
	assert_int_not_equal(port, 0);
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
	assert_int_equal(bg_kvas_start(&kvas, args), 0);
	assert_true(wait_until(answers_without_cert, &port, SERVE_WAIT_MS));
	assert_int_equal(curl_port(port, "--cert client.crt --key client.key", &rc), 200);
	assert_int_equal(curl_port(port, "--cert stranger.crt --key stranger.key", &rc), 0);
	assert_int_equal(rc, 35);
	assert_int_equal(curl_port(port, "--cert server.crt --key server.key", &rc), 0);
	assert_int_equal(rc, 35);
	assert_int_equal(bg_kvas_wait(&kvas, SIGTERM), 0);
	bg_kvas_cleanup(&kvas);
}

/* Refused at start, one line each: what is wrong, and where. */
static void test_start_refused(void **state)
{
	const char *open_args[] = { "serve", "--listen", "0.0.0.0:9633", NULL };
	char path[128], bad_key[128];
	const char *unknown_args[] = { "serve", "--web-config", path, NULL };
	const char *mismatch_args[] = { "serve", "--web-config", bad_key, "-d", "1", NULL };
	struct run_result r;

	(void)state;
	assert_int_equal(expect_usage_error(open_args), 0);
	assert_int_equal(run_kvas(&r, NULL, open_args), 0);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "is not loopback"));
	assert_non_null(strstr(r.err, "--web-config FILE"));
	assert_non_null(strstr(r.err, "--insecure"));
	run_result_free(&r);

	write_file("unknown.yml", "tls_server_config:\n  cert_file: server.crt\n"
		   "  key_file: server.key\n  client_auth: RequireAndVerifyClientCert\n");
	snprintf(path, sizeof(path), "%s/unknown.yml", tls.dir);
	assert_int_equal(expect_usage_error(unknown_args), 0);
	assert_int_equal(run_kvas(&r, NULL, unknown_args), 0);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "line 4: unknown key 'client_auth'"));
	run_result_free(&r);

	if (!tls.tools)
		SKIP_BECAUSE("no openssl: scripts/install-deps test installs it");
	/* the client's key with the server's certificate: exit 1, one line, nothing loaded */
	write_file("mismatch.yml", "tls_server_config:\n  cert_file: server.crt\n"
		   "  key_file: client.key\n");
	snprintf(bad_key, sizeof(bad_key), "%s/mismatch.yml", tls.dir);
	assert_int_equal(run_kvas(&r, NULL, mismatch_args), 0);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "do not match"));
	assert_null(strchr(r.err, '\n') ? strchr(strchr(r.err, '\n') + 1, '\n') : NULL);
	run_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_verify_if_given),
		cmocka_unit_test(test_start_refused),
	};

	return run_root_suite("serve_tls", tests, setup, teardown);
}
