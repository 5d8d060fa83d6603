// SPDX-License-Identifier: GPL-2.0
/* /proc/interrupts' TLB line: whole, and line by line as remote_flush_host.c reads it. */
#include "fuzz.h"
#include "remote_flush.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *line = text;
	uint64_t total;

	interrupts_tlb_total(text, &total);
	while (line) {
		char *next = strchr(line, '\n');

		if (next)
			*next++ = '\0';
		interrupts_tlb_total(line, &total);
		line = next;
	}
	free(text);
	return 0;
}
