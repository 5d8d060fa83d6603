// SPDX-License-Identifier: GPL-2.0
/* serve --web-config's file (YAML, the exporter toolkit's format). */
#include "fuzz.h"
#include "web_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_config c;
	char why[256];

	web_config_parse((const char *)data, size, &c, why, sizeof(why));
	web_config_free(&c);
	return 0;
}
