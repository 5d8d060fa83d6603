// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "web_config.h"

/* Basic auth is for a few users (the toolkit says so too): a bound for a hostile file. */
#define WEB_MAX_USERS	1024

struct ydoc {
	yaml_document_t *doc;
	char *why;
	size_t why_len;
};

/* A key kvas knows; why_not set: the toolkit has it, kvas refuses it, saying why. */
struct ykey {
	const char *name;
	const char *why_not;
};

static const char *const auth_names[] = {
	[WEB_NO_CLIENT_CERT] = "NoClientCert",
	[WEB_REQUEST_CLIENT_CERT] = "RequestClientCert",
	[WEB_REQUIRE_ANY_CLIENT_CERT] = "RequireAnyClientCert",
	[WEB_VERIFY_CLIENT_CERT_IF_GIVEN] = "VerifyClientCertIfGiven",
	[WEB_REQUIRE_AND_VERIFY_CLIENT_CERT] = "RequireAndVerifyClientCert",
};

const char *web_client_auth_name(enum web_client_auth a)
{
	return auth_names[a];
}

static unsigned long line_of(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

__attribute__((format(printf, 3, 4)))
static int fail(struct ydoc *y, const yaml_node_t *n, const char *fmt, ...)
{
	int at = snprintf(y->why, y->why_len, "line %lu: ", line_of(n));
	va_list ap;

	if (at < 0 || (size_t)at >= y->why_len)
		return -1;
	va_start(ap, fmt);
	vsnprintf(y->why + at, y->why_len - at, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* "key:" with nothing, "~" or "null": as if not given (Go's YAML does the same). */
static bool is_null(const yaml_node_t *n)
{
	const char *v = scalar(n);

	return v && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
		!strcmp(v, "NULL"));
}

/* A scalar's text, NUL-free (a NUL inside would cut a path or a hash short). */
static int string_of(struct ydoc *y, const char *key, const yaml_node_t *n, char **out)
{
	const char *v = scalar(n);

	if (!v)
		return fail(y, n, "'%s' takes a string", key);
	if (strlen(v) != n->data.scalar.length)
		return fail(y, n, "'%s' holds a NUL byte", key);
	if (is_null(n))
		return 0;
	*out = strdup(v);
	return *out ? 0 : fail(y, n, "out of memory");
}

/*
 * The value of each key of mapping n into vals[] (by the index of its name in
 * keys[]); unknown, refused and repeated keys are errors naming the key.
 */
static int mapping_of(struct ydoc *y, const char *what, const yaml_node_t *n,
		      const struct ykey *keys, size_t nkeys, yaml_node_t **vals)
{
	memset(vals, 0, nkeys * sizeof(*vals));
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return fail(y, n, "%s is a mapping of keys to values", what);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
		const char *name = k ? scalar(k) : NULL;
		size_t i;

		if (!name)
			return fail(y, n, "a key of %s is not a string", what);
		for (i = 0; i < nkeys && strcmp(name, keys[i].name); i++)
			;
		if (i == nkeys)
			return fail(y, k, "unknown key '%.64s' in %s", name, what);
		if (keys[i].why_not)
			return fail(y, k, "'%s' is not supported by kvas: %s", name, keys[i].why_not);
		if (vals[i])
			return fail(y, k, "'%s' given twice in %s", name, what);
		vals[i] = yaml_document_get_node(y->doc, p->value);
	}
	return 0;
}

static int enum_of(struct ydoc *y, const char *key, const yaml_node_t *n,
		   const char *const *names, size_t nnames, size_t first, int *out)
{
	const char *v = scalar(n);

	if (!v || is_null(n))
		return v ? 0 : fail(y, n, "'%s' takes a string", key);
	for (size_t i = first; i < nnames; i++)
		if (names[i] && !strcmp(v, names[i])) {
			*out = i;
			return 0;
		}
	return fail(y, n, "'%s' is not a %s", v, key);
}

int web_bcrypt_cost(const char *hash)
{
	static const char *const prefixes[] = { "$2a$", "$2b$", "$2y$" };
	bool known = false;

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		known |= !strncmp(hash, prefixes[i], 4);
	if (!known || strlen(hash) != 60 || hash[4] < '0' || hash[4] > '3' ||
	    hash[5] < '0' || hash[5] > '9' || hash[6] != '$')
		return -1;
	return (hash[4] - '0') * 10 + hash[5] - '0';
}

static int users_of(struct ydoc *y, const yaml_node_t *n, struct web_config *c)
{
	size_t pairs;

	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return fail(y, n, "basic_auth_users maps user names to bcrypt hashes");
	pairs = n->data.mapping.pairs.top - n->data.mapping.pairs.start;
	if (pairs > WEB_MAX_USERS)
		return fail(y, n, "more than %d basic_auth_users", WEB_MAX_USERS);
	c->users = calloc(pairs ? pairs : 1, sizeof(*c->users));
	if (!c->users)
		return fail(y, n, "out of memory");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(y->doc, p->value);
		struct web_user *u = &c->users[c->n_users];
		int cost;

		if (!k || !v)
			return fail(y, n, "basic_auth_users: a user without a name or a hash");
		if (!scalar(k))
			return fail(y, k, "a user name is a string");
		if (string_of(y, "a user name", k, &u->name))
			return -1;
		c->n_users++;	/* freed by web_config_free() from here on */
		if (!u->name || strchr(u->name, ':'))
			return fail(y, k, "a user name must be a non-empty string without ':'");
		for (size_t i = 0; i + 1 < c->n_users; i++)
			if (!strcmp(c->users[i].name, u->name))
				return fail(y, k, "user '%.64s' given twice", u->name);
		if (string_of(y, u->name, v, &u->hash))
			return -1;
		cost = u->hash ? web_bcrypt_cost(u->hash) : -1;
		if (cost < 4 || cost > 31)
			return fail(y, v, "user '%.64s': not a bcrypt hash ($2b$, $2y$ or $2a$,"
				    " cost 4 to 31, 60 characters; htpasswd -nBC 10 makes one)",
				    u->name);
	}
	return 0;
}

enum { T_CERT, T_KEY, T_CLIENT_CA, T_CERT_FILE, T_KEY_FILE, T_CLIENT_AUTH, T_CLIENT_CA_FILE,
       T_MIN, T_MAX, T_N = 13 };

static const struct ykey tls_keys[T_N] = {
	{ .name = "cert" }, { .name = "key" }, { .name = "client_ca" },
	{ .name = "cert_file" }, { .name = "key_file" }, { .name = "client_auth_type" },
	{ .name = "client_ca_file" }, { .name = "min_version" }, { .name = "max_version" },
	{ "client_allowed_sans", "client certificates are checked against client_ca_file only" },
	{ "cipher_suites", "GnuTLS's default cipher suites are used" },
	{ "prefer_server_cipher_suites", "GnuTLS's default order is used" },
	{ "curve_preferences", "GnuTLS's default curves are used" },
};

static int pem_of(struct ydoc *y, yaml_node_t **v, int text, int file, struct web_pem *pem)
{
	if ((v[text] && string_of(y, tls_keys[text].name, v[text], &pem->text)) ||
	    (v[file] && string_of(y, tls_keys[file].name, v[file], &pem->file)))
		return -1;
	if (pem->text && pem->file)
		return fail(y, v[text], "'%s' and '%s': one or the other", tls_keys[text].name,
			    tls_keys[file].name);
	return 0;
}

static int tls_of(struct ydoc *y, const yaml_node_t *n, struct web_config *c)
{
	static const char *const versions[] = {
		[WEB_TLS10] = "TLS10", [WEB_TLS11] = "TLS11", [WEB_TLS12] = "TLS12",
		[WEB_TLS13] = "TLS13",
	};
	const size_t nv = sizeof(versions) / sizeof(versions[0]);
	int auth = WEB_NO_CLIENT_CERT, min = WEB_TLS12, max = WEB_TLS13;
	yaml_node_t *v[T_N];

	if (mapping_of(y, "tls_server_config", n, tls_keys, T_N, v) ||
	    pem_of(y, v, T_CERT, T_CERT_FILE, &c->cert) ||
	    pem_of(y, v, T_KEY, T_KEY_FILE, &c->key) ||
	    pem_of(y, v, T_CLIENT_CA, T_CLIENT_CA_FILE, &c->client_ca) ||
	    (v[T_CLIENT_AUTH] && enum_of(y, "client_auth_type", v[T_CLIENT_AUTH], auth_names,
					 sizeof(auth_names) / sizeof(auth_names[0]), 0, &auth)) ||
	    (v[T_MIN] && enum_of(y, "TLS version (TLS10 to TLS13)", v[T_MIN], versions, nv,
				 WEB_TLS10, &min)) ||
	    (v[T_MAX] && enum_of(y, "TLS version (TLS10 to TLS13)", v[T_MAX], versions, nv,
				 WEB_TLS10, &max)))
		return -1;
	c->client_auth = auth;
	c->min_version = min;
	c->max_version = max;
	/* the toolkit's rule: TLS is on when any of these is given */
	c->tls = c->cert.text || c->cert.file || c->key.text || c->key.file ||
		 c->client_ca.text || c->client_ca.file || v[T_CLIENT_AUTH];
	if (!c->tls)
		return 0;
	if (!c->cert.text && !c->cert.file)
		return fail(y, n, "tls_server_config needs cert_file (or cert)");
	if (!c->key.text && !c->key.file)
		return fail(y, n, "tls_server_config needs key_file (or key)");
	if ((c->client_ca.text || c->client_ca.file) && auth == WEB_NO_CLIENT_CERT)
		return fail(y, n, "client_ca_file given with client_auth_type NoClientCert:"
			    " say which client certificates to ask for");
	if (!c->client_ca.text && !c->client_ca.file && auth >= WEB_VERIFY_CLIENT_CERT_IF_GIVEN)
		return fail(y, n, "client_auth_type %s needs client_ca_file",
			    web_client_auth_name(auth));
	if (min > max)
		return fail(y, n, "min_version is above max_version");
	return 0;
}

static const struct ykey http_keys[] = {
	{ .name = "http2" },
	{ "headers", "kvas sets no extra response headers" },
};

static int http_of(struct ydoc *y, const yaml_node_t *n)
{
	yaml_node_t *v[2];
	const char *b;

	if (mapping_of(y, "http_server_config", n, http_keys, 2, v))
		return -1;
	/* kvas speaks HTTP/1.1 only: http2 is accepted, either way, and means nothing */
	if (!v[0] || is_null(v[0]))
		return 0;
	b = scalar(v[0]);
	if (!b || (strcmp(b, "true") && strcmp(b, "false")))
		return fail(y, v[0], "'http2' takes true or false");
	return 0;
}

static const struct ykey top_keys[] = {
	{ .name = "tls_server_config" }, { .name = "basic_auth_users" }, { .name = "http_server_config" },
	{ "rate_limit", "kvas serve bounds its connections itself (kvas-serve(8))" },
};

static int document_of(struct ydoc *y, struct web_config *c)
{
	yaml_node_t *root = yaml_document_get_root_node(y->doc), *v[4];

	if (!root)
		return 0;	/* an empty file: no TLS, no users, as the toolkit has it */
	if (mapping_of(y, "the file", root, top_keys, 4, v))
		return -1;
	return (v[0] && tls_of(y, v[0], c)) || (v[1] && users_of(y, v[1], c)) ||
	       (v[2] && http_of(y, v[2])) ? -1 : 0;
}

int web_config_parse(const char *text, size_t len, struct web_config *out, char *why,
		     size_t why_len)
{
	yaml_document_t doc, next;
	struct ydoc y = { &doc, why, why_len };
	yaml_parser_t parser;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->min_version = WEB_TLS12;
	out->max_version = WEB_TLS13;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(why, why_len, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(why, why_len, "line %lu: %s", (unsigned long)parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "not YAML");
		goto out;
	}
	ret = document_of(&y, out);
	if (!ret && yaml_parser_load(&parser, &next)) {
		if (yaml_document_get_root_node(&next)) {
			ret = fail(&y, yaml_document_get_root_node(&next),
				   "a second YAML document: the file holds one");
		}
		yaml_document_delete(&next);
	} else if (!ret) {
		snprintf(why, why_len, "line %lu: %s", (unsigned long)parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "not YAML");
		ret = -1;
	}
	yaml_document_delete(&doc);
out:
	yaml_parser_delete(&parser);
	return ret;
}

static void pem_free(struct web_pem *p)
{
	free(p->file);
	if (p->text)	/* an inline key is a secret */
		explicit_bzero(p->text, strlen(p->text));
	free(p->text);
}

void web_config_free(struct web_config *c)
{
	pem_free(&c->cert);
	pem_free(&c->key);
	pem_free(&c->client_ca);
	for (size_t i = 0; i < c->n_users; i++) {
		free(c->users[i].name);
		free(c->users[i].hash);
	}
	free(c->users);
	memset(c, 0, sizeof(*c));
}
