// SPDX-License-Identifier: GPL-2.0
/* /proc/kallsyms: the symbol table trace and record name kernel ips with. */
#include <stdbool.h>

#include "fuzz.h"
#include "ksyms.h"
#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *line, *save = NULL, name[128], buf[160], type;
	struct ksyms ks = { 0 };
	uint64_t addr;
	bool censored = false;
	FILE *f = fuzz_file(data, size);

	if (!ksyms_load(&ks, f)) {
		/* the addresses it holds, one past each, and one from the input */
		for (size_t i = 0; i < ks.nr && i < 64; i++) {
			ksyms_name(&ks, ks.syms[i].addr, buf, sizeof(buf));
			ksyms_name(&ks, ks.syms[i].addr + 1, buf, sizeof(buf));
		}
		ksyms_name(&ks, fuzz_u64(data, size, 0), buf, sizeof(buf));
		ksyms_name(&ks, 0, buf, sizeof(buf));
		ksyms_name(&ks, UINT64_MAX, buf, sizeof(buf));
		ksyms_free(&ks);
	}
	rewind(f);
	kallsyms_lookup(f, "_text", &addr, &censored);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		kallsyms_line(line, &addr, &type, name, sizeof(name));
		kallsyms_line(line, &addr, &type, name, 1);
	}
	free(text);
	return 0;
}
