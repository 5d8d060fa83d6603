// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

#include "ksyms.h"
#include "translate_host.h"

/* arch/x86/kernel/cpu/hypervisor.c prints this when it picks PVM */
#define PVM_BOOT_LINE	"Hypervisor detected: PVM"

static bool boot_log_says_pvm(void)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	bool found = false;
	char *buf;
	int n;

	if (size <= 0 || !(buf = malloc(size + 1)))
		return false;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	buf[n > 0 ? n : 0] = '\0';
	found = strstr(buf, PVM_BOOT_LINE) != NULL;
	free(buf);
	return found;
}

/* The kernel is built as a PVM guest: its pvm_* entry code is in kallsyms. */
static bool kallsyms_has_pvm(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[256], name[128], type;
	uint64_t addr;
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = kallsyms_line(line, &addr, &type, name, sizeof(name)) &&
			!strchr(line, '[') && !strncmp(name, "pvm_", 4);
	fclose(f);
	return found;
}

const char *kernel_ring3_reason(void)
{
	static bool decided;
	static const char *reason;

	if (decided)
		return reason;
	decided = true;
	if (boot_log_says_pvm())
		reason = "PVM: the kernel log says \"" PVM_BOOT_LINE "\"; under PVM the guest "
			 "kernel runs in ring 3, so its own pages carry US for it to use them "
			 "(guest user code runs on other page tables): not user-accessible "
			 "kernel memory";
	else if (kallsyms_has_pvm())
		/* the log has rotated: a PVM-built kernel whose pages carry US is in ring 3 */
		reason = "PVM: the kernel is built as a PVM guest (pvm_* in kallsyms) and maps "
			 "its pages with US, as a kernel in ring 3 must (guest user code runs "
			 "on other page tables): not user-accessible kernel memory";
	return reason;
}
