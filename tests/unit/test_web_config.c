// SPDX-License-Identifier: GPL-2.0
/*
 * kvas serve --web-config's parser: the exporter toolkit's file as
 * node_exporter takes it (TLS, client certificates, bcrypt users), and every
 * kind of wrong file refused with the line and the key; and which --listen
 * addresses are loopback (the others want the file or --insecure).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "listen_addr.h"
#include "web_config.h"

#define HASH "$2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG"

static int parse(const char *text, struct web_config *c, char *why, size_t len)
{
	why[0] = '\0';
	return web_config_parse(text, strlen(text), c, why, len);
}

/* text is refused, and why says expect (the line and the key). */
static void refused(const char *text, const char *expect)
{
	struct web_config c;
	char why[256];

	if (!parse(text, &c, why, sizeof(why)))
		fail_msg("accepted: %s", text);
	if (!strstr(why, expect))
		fail_msg("'%s' does not say '%s'", why, expect);
	web_config_free(&c);
}

static void test_full(void **state)
{
	static const char text[] =
		"# as node_exporter's\n"
		"tls_server_config:\n"
		"  cert_file: server.crt\n"
		"  key_file: /etc/kvas/server.key\n"
		"  client_auth_type: RequireAndVerifyClientCert\n"
		"  client_ca_file: ca.crt\n"
		"  min_version: TLS13\n"
		"http_server_config:\n"
		"  http2: false\n"
		"basic_auth_users:\n"
		"  prometheus: " HASH "\n"
		"  'grafana agent': \"" HASH "\"\n";
	struct web_config c;
	char why[256];

	(void)state;
	assert_int_equal(parse(text, &c, why, sizeof(why)), 0);
	assert_true(c.tls);
	assert_string_equal(c.cert.file, "server.crt");
	assert_null(c.cert.text);
	assert_string_equal(c.key.file, "/etc/kvas/server.key");
	assert_string_equal(c.client_ca.file, "ca.crt");
	assert_int_equal(c.client_auth, WEB_REQUIRE_AND_VERIFY_CLIENT_CERT);
	assert_int_equal(c.min_version, WEB_TLS13);
	assert_int_equal(c.max_version, WEB_TLS13);
	assert_int_equal(c.n_users, 2);
	assert_string_equal(c.users[0].name, "prometheus");
	assert_string_equal(c.users[0].hash, HASH);
	assert_string_equal(c.users[1].name, "grafana agent");
	assert_int_equal(web_bcrypt_cost(c.users[1].hash), 10);
	web_config_free(&c);
}

static void test_defaults(void **state)
{
	struct web_config c;
	char why[256];

	(void)state;
	/* empty, comments only, empty sections: no TLS, no users, as the toolkit has it */
	assert_int_equal(parse("", &c, why, sizeof(why)), 0);
	assert_false(c.tls);
	assert_int_equal(c.n_users, 0);
	web_config_free(&c);
	assert_int_equal(parse("# nothing\n", &c, why, sizeof(why)), 0);
	web_config_free(&c);
	/* http_server_config: empty was a NULL dereference (found by libFuzzer) */
	assert_int_equal(parse("tls_server_config:\nbasic_auth_users: ~\nhttp_server_config:\n",
			       &c, why, sizeof(why)), 0);
	assert_false(c.tls);
	web_config_free(&c);
	/* users only: no TLS; TLS 1.2 to 1.3 and no client certificate by default */
	assert_int_equal(parse("basic_auth_users: {a: '" HASH "'}\n", &c, why, sizeof(why)), 0);
	assert_false(c.tls);
	assert_int_equal(c.n_users, 1);
	web_config_free(&c);
	assert_int_equal(parse("tls_server_config:\n  cert: |\n    -----BEGIN CERTIFICATE-----\n"
			       "  key_file: k\n", &c, why, sizeof(why)), 0);
	assert_true(c.tls);
	assert_string_equal(c.cert.text, "-----BEGIN CERTIFICATE-----\n");
	assert_int_equal(c.client_auth, WEB_NO_CLIENT_CERT);
	assert_int_equal(c.min_version, WEB_TLS12);
	assert_int_equal(c.max_version, WEB_TLS13);
	web_config_free(&c);
}

static void test_client_auth_types(void **state)
{
	static const char *const names[] = {
		"NoClientCert", "RequestClientCert", "RequireAnyClientCert",
		"VerifyClientCertIfGiven", "RequireAndVerifyClientCert",
	};
	char text[256], why[256];
	struct web_config c;

	(void)state;
	for (int i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "tls_server_config:\n  cert_file: c\n  key_file: k\n"
			 "  client_auth_type: %s\n%s", names[i],
			 i ? "  client_ca_file: ca\n" : "");
		assert_int_equal(parse(text, &c, why, sizeof(why)), 0);
		assert_int_equal(c.client_auth, i);
		assert_string_equal(web_client_auth_name(c.client_auth), names[i]);
		web_config_free(&c);
	}
}

static void test_refused(void **state)
{
	(void)state;
	refused("tls_server_config:\n  cert_file: c\n  key_file: k\n  cert_fil: x\n",
		"line 4: unknown key 'cert_fil' in tls_server_config");
	refused("basic_auth_user:\n  a: b\n", "line 1: unknown key 'basic_auth_user'");
	refused("tls_server_config:\n  cert_file: c\n  key_file: k\n  cipher_suites: [x]\n",
		"line 4: 'cipher_suites' is not supported");
	refused("tls_server_config:\n  client_allowed_sans: [a]\n",
		"'client_allowed_sans' is not supported");
	refused("rate_limit:\n  burst: 1\n", "line 1: 'rate_limit' is not supported");
	refused("http_server_config:\n  headers:\n    X-Frame-Options: deny\n",
		"line 2: 'headers' is not supported");
	refused("http_server_config:\n  http2: maybe\n", "line 2: 'http2' takes true or false");
	refused("tls_server_config:\n  key_file: k\n", "needs cert_file");
	refused("tls_server_config:\n  cert_file: c\n", "needs key_file");
	refused("tls_server_config:\n  cert_file: c\n  cert: x\n  key_file: k\n",
		"'cert' and 'cert_file': one or the other");
	refused("tls_server_config:\n  cert_file: c\n  key_file: k\n  client_ca_file: ca\n",
		"client_ca_file given with client_auth_type NoClientCert");
	refused("tls_server_config:\n  cert_file: c\n  key_file: k\n"
		"  client_auth_type: RequireAndVerifyClientCert\n",
		"RequireAndVerifyClientCert needs client_ca_file");
	refused("tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: Yes\n",
		"line 4: 'Yes' is not a client_auth_type");
	refused("tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS14\n",
		"'TLS14' is not a TLS version");
	refused("tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS13\n"
		"  max_version: TLS12\n", "min_version is above max_version");
	refused("tls_server_config:\n  cert_file: [c]\n", "line 2: 'cert_file' takes a string");
	refused("tls_server_config:\n  cert_file: c\n  cert_file: d\n",
		"line 3: 'cert_file' given twice");
	refused("tls_server_config: yes\n", "line 1: tls_server_config is a mapping");
	refused("- a\n- b\n", "the file is a mapping");
	refused("a: [\n", "line 2:");
	refused("a: b\n---\nc: d\n", "unknown key 'a'");
	refused("{}\n---\nc: d\n", "a second YAML document");
}

static void test_users_refused(void **state)
{
	(void)state;
	refused("basic_auth_users:\n  a: nothash\n", "line 2: user 'a': not a bcrypt hash");
	refused("basic_auth_users:\n  a: '$1$abc$defghijklmnopqrstuvwxyz'\n", "not a bcrypt hash");
	/* the cost: 4 to 31 */
	refused("basic_auth_users:\n  a: '$2b$03$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG'\n",
		"not a bcrypt hash");
	refused("basic_auth_users:\n  a: ~\n", "user 'a': not a bcrypt hash");
	refused("basic_auth_users:\n  a: '" HASH "'\n  a: '" HASH "'\n", "line 3: user 'a' given twice");
	refused("basic_auth_users:\n  'a:b': '" HASH "'\n", "without ':'");
	refused("basic_auth_users:\n  [a]: '" HASH "'\n", "line 2: a user name is a string");
	refused("basic_auth_users: [a]\n", "maps user names to bcrypt hashes");
}

/* A NUL inside a value would cut a path or a hash short: refused, and no read past len. */
static void test_bytes(void **state)
{
	static const char nul[] = "tls_server_config:\n  cert_file: \"a\\0b\"\n  key_file: k\n";
	struct web_config c;
	char why[256], cut[] = "tls_server_config:\n  cert_file: abc";

	(void)state;
	assert_int_equal(parse(nul, &c, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "NUL"));
	web_config_free(&c);
	/* len short of the NUL: the parser stops at len */
	assert_int_equal(web_config_parse(cut, strlen(cut) - 3, &c, why, sizeof(why)), 0);
	assert_false(c.tls);
	web_config_free(&c);
	/* a why too short for the message: cut, still a string */
	assert_int_equal(web_config_parse("x: 1\n", 5, &c, why, 8), -1);
	assert_int_equal(strlen(why), 7);
	web_config_free(&c);
}

static void test_loopback(void **state)
{
	(void)state;
	assert_true(listen_addr_is_loopback("127.0.0.1"));
	assert_true(listen_addr_is_loopback("127.1.2.3"));
	assert_true(listen_addr_is_loopback("::1"));
	assert_true(listen_addr_is_loopback("::ffff:127.0.0.1"));
	assert_true(listen_addr_is_loopback("localhost"));
	assert_false(listen_addr_is_loopback("0.0.0.0"));
	assert_false(listen_addr_is_loopback("::"));
	assert_false(listen_addr_is_loopback("128.0.0.1"));
	assert_false(listen_addr_is_loopback("10.0.0.1"));
	assert_false(listen_addr_is_loopback("::ffff:10.0.0.1"));
	assert_false(listen_addr_is_loopback("fe80::1"));
	assert_false(listen_addr_is_loopback("example.org"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_client_auth_types),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_users_refused),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_loopback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
