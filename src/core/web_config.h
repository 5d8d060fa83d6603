/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas serve --web-config: the Prometheus exporter toolkit's web
 * configuration file (YAML; node_exporter's --web.config.file), parsed
 * from a buffer with libyaml. Pure: the files it names are read by the
 * caller. What kvas cannot honour (client_allowed_sans, cipher_suites,
 * curve_preferences, prefer_server_cipher_suites, http_server_config's
 * headers, rate_limit) is refused by name, as is any key the toolkit does
 * not have.
 */
#ifndef KVAS_WEB_CONFIG_H
#define KVAS_WEB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* The toolkit's client_auth_type, Go's tls.ClientAuthType. */
enum web_client_auth {
	WEB_NO_CLIENT_CERT,
	WEB_REQUEST_CLIENT_CERT,
	WEB_REQUIRE_ANY_CLIENT_CERT,
	WEB_VERIFY_CLIENT_CERT_IF_GIVEN,
	WEB_REQUIRE_AND_VERIFY_CLIENT_CERT,
};

/* min_version and max_version: TLS10 .. TLS13. */
enum web_tls_version { WEB_TLS10 = 10, WEB_TLS11, WEB_TLS12, WEB_TLS13 };

/* A PEM given as a file (relative to the config file's directory) or inline. */
struct web_pem {
	char *file;
	char *text;
};

struct web_user {
	char *name;
	char *hash;		/* bcrypt: $2a$, $2b$ or $2y$, 60 characters */
};

struct web_config {
	bool tls;			/* tls_server_config given */
	struct web_pem cert, key, client_ca;
	enum web_client_auth client_auth;
	enum web_tls_version min_version, max_version;
	struct web_user *users;		/* basic_auth_users; none: no authentication */
	size_t n_users;
};

/*
 * text[0..len) into out (zeroed first; web_config_free() it either way): 0,
 * or -1 with why set ("line N: ..."), naming the key that is wrong.
 */
int web_config_parse(const char *text, size_t len, struct web_config *out, char *why,
		     size_t why_len);
void web_config_free(struct web_config *c);

/* "RequireAndVerifyClientCert"... for messages. */
const char *web_client_auth_name(enum web_client_auth a);

/* The cost of a bcrypt hash ("$2b$10$..." is 10), or -1. */
int web_bcrypt_cost(const char *hash);

#endif
