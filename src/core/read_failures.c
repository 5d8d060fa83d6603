// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "read_failures.h"

static const struct read_failure *find(const struct read_failures *rf, const char *what)
{
	for (int i = 0; i < rf->nr; i++)
		if (!strcmp(rf->f[i].what, what))
			return &rf->f[i];
	return NULL;
}

void read_failure_add(struct read_failures *rf, const char *what, int err)
{
	struct read_failure *f;

	/* the first failure of a read is the one that stopped it */
	if (find(rf, what) || rf->nr >= READ_FAILURES_MAX)
		return;
	f = &rf->f[rf->nr++];
	snprintf(f->what, sizeof(f->what), "%s", what);
	f->err = abs(err);
}

void read_failures_merge(struct read_failures *to, const struct read_failures *from)
{
	for (int i = 0; i < from->nr; i++)
		read_failure_add(to, from->f[i].what, from->f[i].err);
}

json_t *read_failures_json(const struct read_failures *rf)
{
	json_t *a = json_array();

	for (int i = 0; i < rf->nr; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "what", json_string(rf->f[i].what));
		json_object_set_new(o, "error", json_string(strerror(rf->f[i].err)));
		json_object_set_new(o, "errno", json_integer(rf->f[i].err));
		json_array_append_new(a, o);
	}
	return a;
}

const char *read_failures_list(const struct read_failures *rf, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < rf->nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s: %s", i ? "; " : "", rf->f[i].what,
			      strerror(rf->f[i].err));
	return buf;
}

void read_failures_tell(struct read_failures *told, const struct read_failures *now,
			const char *cmd, FILE *out)
{
	for (int i = 0; i < now->nr; i++) {
		const struct read_failure *f = &now->f[i];

		if (find(told, f->what))
			continue;
		/* files by their path, the rest by what they are */
		fprintf(out, "kvas %s: cannot read %s%s: %s\n", cmd, f->what[0] == '/' ? "" : "the ",
			f->what, strerror(f->err));
		read_failure_add(told, f->what, f->err);
	}
}
