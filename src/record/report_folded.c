// SPDX-License-Identifier: GPL-2.0
/*
 * Folded stacks, the format of Brendan Gregg's stackcollapse scripts:
 * "comm;outer;...;leaf COUNT\n", one line per chain, sorted. flamegraph.pl
 * and inferno split the count at the last space, speedscope wants exactly
 * one space and digits: call_chains.c keeps spaces out of the frames.
 */
#include <errno.h>
#include <inttypes.h>

#include "call_chains.h"
#include "report_outputs.h"

int report_write_status(FILE *out)
{
	if (fflush(out) || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}

int report_folded(const struct recording *r, FILE *out)
{
	struct call_chains c;
	int err = call_chains_fold(r, &c);

	if (err)
		return err;
	for (size_t i = 0; i < c.nr; i++)
		fprintf(out, "%s %" PRIu64 "\n", c.chain[i].text, c.chain[i].count);
	call_chains_free(&c);
	return report_write_status(out);
}
