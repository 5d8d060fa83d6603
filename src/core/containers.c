// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "containers.h"

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* s[0..n) is a full container id: 64 lower-case hex digits. */
static bool is_container_id(const char *s, size_t n)
{
	return n == CONTAINER_ID_LEN && is_hex(s, n);
}

static void set_id(struct container_ref *c, const char *runtime, const char *id)
{
	c->runtime = runtime;
	memcpy(c->id, id, CONTAINER_ID_LEN);
	c->id[CONTAINER_ID_LEN] = '\0';
	memcpy(c->short_id, id, CONTAINER_SHORT_LEN);
	c->short_id[CONTAINER_SHORT_LEN] = '\0';
}

/*
 * A pod's directory: "pod<uid>" (cgroupfs) or "kubepods-<qos>-pod<uid>.slice"
 * (systemd, where the uid's '-' became '_' because '-' nests slices).
 */
static bool pod_component(const char *s, size_t n, char *uid)
{
	const char *p = NULL;
	size_t len;

	for (size_t i = 0; i + 3 <= n; i++)
		if (!memcmp(s + i, "pod", 3) && (i == 0 || s[i - 1] == '-'))
			p = s + i + 3;
	if (!p)
		return false;
	len = (size_t)(s + n - p);
	if (len > 6 && !memcmp(s + n - 6, ".slice", 6))
		len -= 6;
	if (len != POD_UID_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = p[i] == '_' ? '-' : p[i];

		if (ch != '-' && !is_hex(&ch, 1))
			return false;
		uid[i] = ch;
	}
	uid[len] = '\0';
	return true;
}

/* "<prefix><id>.scope": a systemd scope that a runtime made. */
static const char *scope_runtime(const char *s, size_t n, const char **id)
{
	static const struct {
		const char *prefix, *runtime;
	} scopes[] = {
		{ "docker-", "docker" },
		{ "libpod-", "podman" },
		{ "crio-", "cri-o" },
		{ "cri-containerd-", "containerd" },
	};

	if (n < 6 || memcmp(s + n - 6, ".scope", 6))
		return NULL;
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t plen = strlen(scopes[i].prefix);

		if (n - 6 > plen && !memcmp(s, scopes[i].prefix, plen) &&
		    is_container_id(s + plen, n - 6 - plen)) {
			*id = s + plen;
			return scopes[i].runtime;
		}
	}
	return NULL;
}

bool container_parse(const char *path, struct container_ref *c)
{
	const char *parent = NULL, *s = path;
	size_t parent_len = 0;
	bool kubepods = false;

	memset(c, 0, sizeof(*c));
	while (*s) {
		const char *id, *runtime;
		size_t n;

		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		if (!n)
			break;
		if ((n == 8 && !memcmp(s, "kubepods", 8)) ||
		    (n >= 14 && !memcmp(s, "kubepods", 8) && !memcmp(s + n - 6, ".slice", 6)))
			kubepods = true;
		if (kubepods && !c->pod_uid[0] && pod_component(s, n, c->pod_uid)) {
			/* a pod's own cgroup: its containers are below */
		} else if ((runtime = scope_runtime(s, n, &id))) {
			set_id(c, runtime, id);
			return true;
		} else if (is_container_id(s, n)) {
			if (c->pod_uid[0])
				runtime = "kubernetes";
			else if (parent && parent_len == 6 && !memcmp(parent, "docker", 6))
				runtime = "docker";
			else
				runtime = "containerd";
			set_id(c, runtime, s);
			/* containerd names its namespace in the parent directory */
			if (!strcmp(runtime, "containerd") && parent)
				snprintf(c->ns, sizeof(c->ns), "%.*s", (int)parent_len, parent);
			return true;
		}
		parent = s;
		parent_len = n;
		s += n;
	}
	if (c->pod_uid[0]) {
		c->runtime = "kubernetes";
		return true;
	}
	return false;
}

char *container_label(const struct container_ref *c, char *buf, size_t len)
{
	if (c->id[0] && c->pod_uid[0])
		snprintf(buf, len, "%s:%s pod:%s", c->runtime, c->short_id, c->pod_uid);
	else if (c->id[0])
		snprintf(buf, len, "%s:%s", c->runtime, c->short_id);
	else
		snprintf(buf, len, "pod:%s", c->pod_uid);
	return buf;
}

bool container_matches(const struct container_ref *c, const char *id_or_prefix)
{
	size_t n = strlen(id_or_prefix);

	return c->id[0] && n && n <= CONTAINER_ID_LEN && !strncmp(c->id, id_or_prefix, n);
}

int container_prefixes_add(struct container_prefixes *cp, const char *arg)
{
	const char *s = arg;

	do {
		size_t n = strcspn(s, ",");
		char *out;

		if (n < CONTAINER_PREFIX_MIN || n > CONTAINER_ID_LEN || cp->n == CONTAINER_PREFIXES_MAX)
			return -1;
		out = cp->p[cp->n];
		for (size_t i = 0; i < n; i++) {
			out[i] = (char)tolower((unsigned char)s[i]);
			if (!is_hex(&out[i], 1))
				return -1;
		}
		out[n] = '\0';
		cp->n++;
		s += n;
	} while (*s++ == ',');
	return 0;
}

bool container_prefixes_match(const struct container_prefixes *cp, const char *path)
{
	struct container_ref c;

	if (!container_parse(path, &c))
		return false;
	for (int i = 0; i < cp->n; i++)
		if (container_matches(&c, cp->p[i]))
			return true;
	return false;
}
