// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_tls.h"
#include "procfs.h"

#define PEM_MAX		(256 * 1024)	/* a certificate chain is a few KiB */
#define CHAIN_MAX	16

struct http_tls {
	gnutls_pcert_st chain[CHAIN_MAX];
	unsigned int chain_len;
	gnutls_privkey_t key;
	char *trust;			/* the client CA's PEM, or NULL */
	char priorities[96];
	enum web_client_auth client_auth;
};

/*
 * GnuTLS's certificate callback takes no closure: the server's TLS, set by
 * http_tls_options(). kvas serves from one libmicrohttpd daemon.
 */
static struct http_tls *active;

/* A PEM inline or from its file: malloc'd text, or NULL with why set. */
static char *pem_read(const struct web_pem *p, const char *name, const char *config_path,
		      char *why, size_t len)
{
	char path[PATH_MAX], dir[PATH_MAX], *buf;
	int n;

	if (p->text)
		return strdup(p->text);
	snprintf(dir, sizeof(dir), "%s", config_path);
	if (p->file[0] == '/')
		snprintf(path, sizeof(path), "%s", p->file);
	else
		snprintf(path, sizeof(path), "%s/%s", dirname(dir), p->file);
	buf = malloc(PEM_MAX);
	if (!buf) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	n = read_small_file(path, buf, PEM_MAX);
	if (n < 0 || n >= PEM_MAX - 1) {
		snprintf(why, len, "%s %s: %s", name, path,
			 n < 0 ? strerror(-n) : "larger than 256 KiB");
		free(buf);
		return NULL;
	}
	return buf;
}

static gnutls_datum_t datum(const char *pem)
{
	return (gnutls_datum_t){ (unsigned char *)pem, (unsigned int)strlen(pem) };
}

/* The pair checked as GnuTLS serves it (a key that does not match is refused here). */
static int tls_check(struct http_tls *t, const char *cert, const char *key, char *why,
		     size_t len)
{
	gnutls_datum_t c = datum(cert), k = datum(key), ca;
	gnutls_certificate_credentials_t cred;
	int err;

	if (gnutls_certificate_allocate_credentials(&cred)) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	err = gnutls_certificate_set_x509_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM);
	if (err < 0) {
		snprintf(why, len, "tls_server_config's certificate and key: %s",
			 gnutls_strerror(err));
	} else if (t->trust) {
		ca = datum(t->trust);
		err = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
		if (err <= 0) {
			snprintf(why, len, "client_ca_file: %s", err ? gnutls_strerror(err) :
				 "no certificate in it");
			err = -1;
		}
	}
	gnutls_certificate_free_credentials(cred);
	if (err < 0)
		return -1;
	c = datum(cert);
	t->chain_len = CHAIN_MAX;
	err = gnutls_pcert_list_import_x509_raw(t->chain, &t->chain_len, &c,
						GNUTLS_X509_FMT_PEM, 0);
	if (err < 0) {
		t->chain_len = 0;
		snprintf(why, len, "cert_file: %s", gnutls_strerror(err));
		return -1;
	}
	err = gnutls_privkey_init(&t->key);
	if (!err)
		err = gnutls_privkey_import_x509_raw(t->key, &k, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (err < 0) {
		snprintf(why, len, "key_file: %s", gnutls_strerror(err));
		return -1;
	}
	return 0;
}

static void priorities(struct http_tls *t, const struct web_config *c)
{
	int at = snprintf(t->priorities, sizeof(t->priorities), "NORMAL:-VERS-ALL");

	for (int v = c->max_version; v >= (int)c->min_version; v--)
		at += snprintf(t->priorities + at, sizeof(t->priorities) - at, ":+VERS-TLS1.%d",
			       v - WEB_TLS10);
}

int http_tls_load(const struct web_config *c, const char *config_path, struct http_tls **out,
		  char *why, size_t len)
{
	struct http_tls *t;
	char *cert = NULL, *key = NULL;
	int ret = -1;

	*out = NULL;
	if (!c->tls)
		return 0;
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	t->client_auth = c->client_auth;
	priorities(t, c);
	cert = pem_read(&c->cert, "cert_file", config_path, why, len);
	key = cert ? pem_read(&c->key, "key_file", config_path, why, len) : NULL;
	if ((c->client_ca.file || c->client_ca.text) && key)
		t->trust = pem_read(&c->client_ca, "client_ca_file", config_path, why, len);
	if (key && (t->trust || !(c->client_ca.file || c->client_ca.text)))
		ret = tls_check(t, cert, key, why, len);
	if (key)
		explicit_bzero(key, strlen(key));
	free(cert);
	free(key);
	if (ret) {
		http_tls_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void http_tls_free(struct http_tls *t)
{
	if (!t)
		return;
	if (active == t)
		active = NULL;
	for (unsigned int i = 0; i < t->chain_len; i++)
		gnutls_pcert_deinit(&t->chain[i]);
	if (t->key)
		gnutls_privkey_deinit(t->key);
	free(t->trust);
	free(t);
}

/*
 * In the handshake, once the client's certificate is in: one sent is
 * verified against the client CA, for a TLS client (as Go's crypto/tls does
 * for the toolkit); none is fine unless required (GnuTLS fails that itself).
 */
static int client_certificate(gnutls_session_t session)
{
	gnutls_typed_vdata_st purpose = {
		.type = GNUTLS_DT_KEY_PURPOSE_OID, .data = (void *)GNUTLS_KP_TLS_WWW_CLIENT,
	};
	unsigned int n = 0, status = 0;

	if (!gnutls_certificate_get_peers(session, &n) || !n)
		return active && active->client_auth == WEB_REQUIRE_AND_VERIFY_CLIENT_CERT ? -1 : 0;
	if (gnutls_certificate_verify_peers(session, &purpose, 1, &status) || status)
		return -1;
	return 0;
}

/*
 * Called by GnuTLS in each handshake, after the client's hello and before
 * the server asks for a certificate: so client_auth_type is set here, per
 * session (libmicrohttpd asks for one, unverified, whenever it has a CA).
 */
static int server_certificate(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn,
			      int nreqs, const gnutls_pk_algorithm_t *pk_algos,
			      int pk_algos_length, gnutls_pcert_st **pcert,
			      unsigned int *pcert_length, gnutls_privkey_t *privkey)
{
	static const gnutls_certificate_request_t ask[] = {
		[WEB_NO_CLIENT_CERT] = GNUTLS_CERT_IGNORE,
		[WEB_REQUEST_CLIENT_CERT] = GNUTLS_CERT_REQUEST,
		[WEB_REQUIRE_ANY_CLIENT_CERT] = GNUTLS_CERT_REQUIRE,
		[WEB_VERIFY_CLIENT_CERT_IF_GIVEN] = GNUTLS_CERT_REQUEST,
		[WEB_REQUIRE_AND_VERIFY_CLIENT_CERT] = GNUTLS_CERT_REQUIRE,
	};
	struct http_tls *t = active;

	(void)req_ca_rdn;
	(void)nreqs;
	(void)pk_algos;
	(void)pk_algos_length;
	if (!t)
		return -1;
	gnutls_certificate_server_set_request(session, ask[t->client_auth]);
	if (t->client_auth >= WEB_VERIFY_CLIENT_CERT_IF_GIVEN)
		gnutls_session_set_verify_function(session, client_certificate);
	*pcert = t->chain;
	*pcert_length = t->chain_len;
	*privkey = t->key;
	return 0;
}

void http_tls_options(struct http_tls *t, unsigned int *flags,
		      struct MHD_OptionItem opts[HTTP_TLS_OPTIONS])
{
	int n = 0;

	if (t) {
		active = t;
		*flags |= MHD_USE_TLS;
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_CERT_CALLBACK, 0,
						     (void *)server_certificate };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
						     t->priorities };
		if (t->trust)
			opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_TRUST, 0,
							     t->trust };
	}
	opts[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
}
