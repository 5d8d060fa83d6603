// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup paths, one a line, as /proc/PID/cgroup prints them ("0::/path";
 * the prefix is cut) or as the BPF side hands them over: which container,
 * its label, and --container's prefixes matched against it. A line that
 * starts with "--container=" is a --container argument instead.
 */
#include "containers.h"
#include "fuzz.h"

#define ARG "--container="

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *line = text, label[160], tiny[1];
	struct container_prefixes cp = { 0 };
	struct container_ref c;

	while (line) {
		char *next = strchr(line, '\n'), *path = line, *colon;

		if (next)
			*next++ = '\0';
		if (!strncmp(line, ARG, strlen(ARG))) {
			container_prefixes_add(&cp, line + strlen(ARG));
			line = next;
			continue;
		}
		/* "hierarchy:controllers:path" */
		if ((colon = strchr(line, ':')) && (colon = strchr(colon + 1, ':')))
			path = colon + 1;
		if (container_parse(path, &c)) {
			container_label(&c, label, sizeof(label));
			container_label(&c, tiny, sizeof(tiny));
			container_matches(&c, path + strspn(path, "/"));
			container_matches(&c, "");
			for (int i = 0; i < cp.n; i++)
				container_matches(&c, cp.p[i]);
		}
		container_prefixes_match(&cp, path);
		line = next;
	}
	free(text);
	return 0;
}
