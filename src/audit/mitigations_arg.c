// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "mitigations_arg.h"

static const char *const options[AV_NR] = {
	[AV_USER_KERNEL] = "no_user_kernel",
	[AV_USER_USER] = "no_user_user",
	[AV_GUEST_HOST] = "no_guest_host",
	[AV_GUEST_GUEST] = "no_guest_guest",
	[AV_CROSS_THREAD] = "no_cross_thread",
};

static const char *const names[AV_NR] = {
	[AV_USER_KERNEL] = "user-to-kernel",
	[AV_USER_USER] = "user-to-user",
	[AV_GUEST_HOST] = "guest-to-host",
	[AV_GUEST_GUEST] = "guest-to-guest",
	[AV_CROSS_THREAD] = "cross-thread",
};

const char *attack_vector_option(enum attack_vector v)
{
	return v < AV_NR ? options[v] : "?";
}

const char *attack_vector_name(enum attack_vector v)
{
	return v < AV_NR ? names[v] : "?";
}

/* The value of the last mitigations= before "--" (what the kernel ends up with). */
static bool last_value(const char *cmdline, char *value, size_t len)
{
	static const char key[] = "mitigations=";
	const char *p = cmdline;
	bool found = false;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		n = strcspn(p, " \n\t");
		if (n == 2 && !strncmp(p, "--", 2))
			break;	/* the rest is init's */
		if (n >= sizeof(key) - 1 && !strncmp(p, key, sizeof(key) - 1)) {
			size_t v = n - (sizeof(key) - 1);

			snprintf(value, len, "%.*s", (int)v, p + sizeof(key) - 1);
			found = true;
		}
		p += n;
	}
	return found;
}

/* The global option at the start of s, as the kernel matches it: its length. */
static size_t global_of(const char *s, struct mitigations_arg *m)
{
	static const struct { const char *word; enum mitigations_global g; } globals[] = {
		/* auto,nosmt before auto: the kernel matches prefixes in this order */
		{ "off", MITIGATIONS_OFF },
		{ "auto,nosmt", MITIGATIONS_AUTO_NOSMT },
		{ "auto", MITIGATIONS_AUTO },
	};

	for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]); i++) {
		size_t n = strlen(globals[i].word);

		if (!strncmp(s, globals[i].word, n)) {
			m->global = globals[i].g;
			m->global_named = true;
			return n;
		}
	}
	return 0;
}

static void reject(struct mitigations_arg *m, const char *word, size_t n)
{
	snprintf(m->rejected, sizeof(m->rejected), "%.*s", (int)n, n ? word : "(an empty word)");
}

void mitigations_arg_parse(const char *cmdline, struct mitigations_arg *m)
{
	const char *p;

	memset(m, 0, sizeof(*m));
	m->global = MITIGATIONS_AUTO;
	m->given = last_value(cmdline, m->value, sizeof(m->value));
	if (!m->given)
		return;
	p = m->value + global_of(m->value, m);
	if (m->global == MITIGATIONS_OFF)
		for (int v = 0; v < AV_NR; v++)
			m->turned_off[v] = true;
	if (!*p)
		return;
	/* the vectors come after a comma; anything else is rejected whole */
	if (*p != ',') {
		reject(m, p, strcspn(p, ","));
		return;
	}
	while (*p++ == ',') {
		size_t n = strcspn(p, ",");
		int v;

		for (v = 0; v < AV_NR; v++)
			if (strlen(options[v]) == n && !strncmp(p, options[v], n))
				break;
		if (v == AV_NR) {
			/* the kernel stops here: the words before it stay in force */
			reject(m, p, n);
			return;
		}
		m->turned_off[v] = true;
		p += n;
	}
}
