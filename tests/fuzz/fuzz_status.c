// SPDX-License-Identifier: GPL-2.0
/* /proc/PID/status (translate, record, trace --pid), and /proc/cmdline's words. */
#include "fuzz.h"
#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_status st;
	char *text = fuzz_text(data, size);
	FILE *f = fuzz_file(data, size);

	proc_status_parse(f, &st);
	fclose(f);
	cmdline_has(text, "nokaslr");
	cmdline_has(text, "");
	free(text);
	return 0;
}
