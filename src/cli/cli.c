// SPDX-License-Identifier: GPL-2.0
/* What every command checks before it touches the kernel: its privileges. */
#include <stdio.h>

#include "commands.h"
#include "privileges.h"

bool check_privileges(void)
{
	char missing[96];

	if (have_kvas_privileges(missing, sizeof(missing)))
		return true;
	fprintf(stderr, "kvas: needs root: missing %s (loading BPF tracing programs and reading physical addresses); run with sudo\n",
		missing);
	return false;
}
