// SPDX-License-Identifier: GPL-2.0
#include <crypt.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_auth.h"

#define MAC_LEN		32	/* HMAC-SHA256 */
#define GOOD_CACHED	16	/* verdicts kept: a failure never evicts a success */
#define BAD_CACHED	64

struct verdict {
	unsigned char mac[MAC_LEN];
	bool used;
};

struct http_auth {
	struct web_user *users;
	size_t n_users;
	char dummy[CRYPT_OUTPUT_SIZE];	/* for a user nobody has: the same cost */
	unsigned char key[MAC_LEN];	/* keys the cache's HMAC; made at start */
	pthread_mutex_t lock;		/* the cache and crypt's scratch */
	struct verdict good[GOOD_CACHED], bad[BAD_CACHED];
	unsigned int next_good, next_bad;
	struct crypt_data scratch;
};

static bool same_bytes(const void *a, const void *b, size_t len)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return !diff;
}

static int mac_of(const struct http_auth *a, const char *user, const char *pass,
		  unsigned char mac[MAC_LEN])
{
	gnutls_hmac_hd_t h;

	if (gnutls_hmac_init(&h, GNUTLS_MAC_SHA256, a->key, sizeof(a->key)))
		return -1;
	/* the NUL between them: ("ab", "c") and ("a", "bc") differ */
	gnutls_hmac(h, user, strlen(user) + 1);
	gnutls_hmac(h, pass, strlen(pass));
	gnutls_hmac_deinit(h, mac);
	return 0;
}

/* 1 or 0 from the cache, -1 when not there. Every entry is compared: no early way out. */
static int cached(const struct verdict *v, size_t n, const unsigned char mac[MAC_LEN])
{
	bool hit = false;

	for (size_t i = 0; i < n; i++)
		hit |= v[i].used & same_bytes(v[i].mac, mac, MAC_LEN);
	return hit;
}

static void remember(struct verdict *v, size_t n, unsigned int *next,
		     const unsigned char mac[MAC_LEN])
{
	memcpy(v[*next].mac, mac, MAC_LEN);
	v[*next].used = true;
	*next = (*next + 1) % n;
}

static bool verify(struct http_auth *a, const char *user, const char *pass)
{
	const char *hash = a->dummy, *out;
	bool ok;

	for (size_t i = 0; i < a->n_users; i++)
		if (!strcmp(a->users[i].name, user))
			hash = a->users[i].hash;
	memset(&a->scratch, 0, sizeof(a->scratch));
	out = crypt_rn(pass, hash, &a->scratch, sizeof(a->scratch));
	ok = out && strlen(out) == strlen(hash) && same_bytes(out, hash, strlen(hash)) &&
	     hash != a->dummy;
	explicit_bzero(&a->scratch, sizeof(a->scratch));
	return ok;
}

static bool check(struct http_auth *a, const char *user, const char *pass)
{
	unsigned char mac[MAC_LEN];
	bool ok;

	if (mac_of(a, user, pass, mac))
		return false;
	pthread_mutex_lock(&a->lock);
	if (cached(a->good, GOOD_CACHED, mac)) {
		ok = true;
	} else if (cached(a->bad, BAD_CACHED, mac)) {
		ok = false;
	} else {
		ok = verify(a, user, pass);
		if (ok)
			remember(a->good, GOOD_CACHED, &a->next_good, mac);
		else
			remember(a->bad, BAD_CACHED, &a->next_bad, mac);
	}
	pthread_mutex_unlock(&a->lock);
	return ok;
}

bool http_auth_allowed(struct http_auth *a, struct MHD_Connection *conn)
{
	char *pass = NULL, *user;
	bool ok = false;

	if (!a)
		return true;
	user = MHD_basic_auth_get_username_password(conn, &pass);
	if (user && pass)
		ok = check(a, user, pass);
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	MHD_free(user);
	return ok;
}

enum MHD_Result http_auth_refuse(struct MHD_Connection *conn)
{
	static const char body[] = "unauthorized: kvas serve wants a user and password\n";
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
								 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
	ret = MHD_queue_basic_auth_fail_response(conn, "kvas", r);
	MHD_destroy_response(r);
	return ret;
}

/* A hash no password matches, of the users' highest cost: unknown names cost the same. */
static int make_dummy(struct http_auth *a, char *why, size_t len)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE], pass[33];
	unsigned char rnd[16];
	int cost = 4;
	const char *out;

	for (size_t i = 0; i < a->n_users; i++)
		if (web_bcrypt_cost(a->users[i].hash) > cost)
			cost = web_bcrypt_cost(a->users[i].hash);
	if (gnutls_rnd(GNUTLS_RND_NONCE, rnd, sizeof(rnd)) ||
	    !crypt_gensalt_rn("$2b$", cost, NULL, 0, salt, sizeof(salt))) {
		snprintf(why, len, "cannot make a bcrypt salt: libcrypt without bcrypt?");
		return -1;
	}
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(pass + 2 * i, 3, "%02x", rnd[i]);
	out = crypt_rn(pass, salt, &a->scratch, sizeof(a->scratch));
	if (!out || out[0] == '*') {
		snprintf(why, len, "libcrypt cannot compute bcrypt ($2b$)");
		return -1;
	}
	snprintf(a->dummy, sizeof(a->dummy), "%s", out);
	return 0;
}

int http_auth_new(const struct web_config *c, struct http_auth **out, char *why, size_t len)
{
	struct http_auth *a;

	*out = NULL;
	if (!c->n_users)
		return 0;
	a = calloc(1, sizeof(*a));
	if (!a || !(a->users = calloc(c->n_users, sizeof(*a->users)))) {
		free(a);
		snprintf(why, len, "out of memory");
		return -1;
	}
	pthread_mutex_init(&a->lock, NULL);
	for (size_t i = 0; i < c->n_users; i++, a->n_users++) {
		a->users[i].name = strdup(c->users[i].name);
		a->users[i].hash = strdup(c->users[i].hash);
		if (!a->users[i].name || !a->users[i].hash) {
			a->n_users++;
			http_auth_free(a);
			snprintf(why, len, "out of memory");
			return -1;
		}
	}
	if (gnutls_rnd(GNUTLS_RND_KEY, a->key, sizeof(a->key))) {
		http_auth_free(a);
		snprintf(why, len, "no random bytes for the credentials cache's key");
		return -1;
	}
	if (make_dummy(a, why, len)) {
		http_auth_free(a);
		return -1;
	}
	*out = a;
	return 0;
}

void http_auth_free(struct http_auth *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_users; i++) {
		free(a->users[i].name);
		free(a->users[i].hash);
	}
	free(a->users);
	pthread_mutex_destroy(&a->lock);
	explicit_bzero(a, sizeof(*a));
	free(a);
}
