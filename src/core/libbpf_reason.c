// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "libbpf_reason.h"

/* The quoted program name after "prog '", or NULL. */
static const char *prog_name(const char *line, char *name, size_t len)
{
	const char *p = strstr(line, "prog '"), *e;

	if (!p || !(e = strchr(p + 6, '\'')))
		return NULL;
	snprintf(name, len, "%.*s", (int)(e - p - 6), p + 6);
	return name;
}

char *libbpf_log_reason_of(const char *const *lines, int nr, char *buf, size_t len)
{
	char name[64] = "", seen[64];
	const char *reason = NULL, *verifier_last = NULL;
	bool in_log = false;

	for (int i = 0; i < nr; i++) {
		const char *l = lines[i];

		/* libbpf writes the relocation that failed into the verifier's log */
		if (!reason && strstr(l, "failed to resolve CO-RE relocation"))
			reason = strstr(l, "failed to resolve");
		if (strstr(l, "-- BEGIN PROG LOAD LOG --")) {
			in_log = true;
			if (!name[0])
				prog_name(l, name, sizeof(name));
			continue;
		}
		if (strstr(l, "-- END PROG LOAD LOG --")) {
			in_log = false;
			continue;
		}
		if (in_log) {
			/* the verifier's last word, unless it is a count of what it did */
			if (!strstr(l, "processed ") && !strstr(l, "verification time") &&
			    !strstr(l, "stack depth"))
				verifier_last = l;
			continue;
		}
		if (!name[0] && (strstr(l, "load failed") || strstr(l, "failed to load") ||
				 strstr(l, "failed to attach")) && prog_name(l, seen, sizeof(seen))) {
			snprintf(name, sizeof(name), "%s", seen);
			if (!reason && strstr(l, "failed to attach"))
				reason = strstr(l, "failed to attach");
		}
	}
	if (!reason)
		reason = verifier_last;
	if (!reason) {
		buf[0] = '\0';
		return buf;
	}
	while (*reason == ' ' || *reason == '\t')
		reason++;
	if (name[0])
		snprintf(buf, len, "program '%s': %s", name, reason);
	else
		snprintf(buf, len, "%s", reason);
	return buf;
}
