// SPDX-License-Identifier: GPL-2.0
/* /proc/PID/maps, line by line as user_symbols.c and record_procs.c read it. */
#include "fuzz.h"
#include "proc_maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *line = text;
	struct maps_line m;

	while (line) {
		char *next = strchr(line, '\n');

		if (next)
			*next++ = '\0';
		if (maps_line_parse(line, &m) && m.name_len && m.name[m.name_len - 1] == '\0')
			abort();	/* the name's length stops at its end */
		line = next;
	}
	free(text);
	return 0;
}
