// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers from the command line: the input is the argument; its first 16
 * bytes, when there are as many, also give the bounds (so the limits'
 * wording is fuzzed too).
 */
#include "fuzz.h"
#include "listen_addr.h"
#include "parse_num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t min = fuzz_u64(data, size, 0), max = fuzz_u64(data, size, 8), v;
	char *arg = fuzz_text(data, size), buf[96], host[64];
	double secs, dmax;
	uint16_t port;

	memcpy(&dmax, &max, sizeof(dmax));
	parse_u64(arg, 0, UINT64_MAX, &v);
	parse_u64(arg, 1, 1000000, &v);
	parse_u64(arg, min, max, &v);
	parse_duration(arg, 86400.0, &secs);
	parse_duration(arg, dmax, &secs);
	parse_u64_expected(min, max, buf, sizeof(buf));
	parse_u64_expected(min, max, buf, 8);
	parse_duration_expected(dmax, buf, sizeof(buf));
	parse_duration_expected(86400.0, buf, 8);
	listen_addr_split(arg, host, sizeof(host), &port);
	free(arg);
	return 0;
}
