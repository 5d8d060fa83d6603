// SPDX-License-Identifier: GPL-2.0
#include "vm_parts.h"

const char *vm_part_name(enum vm_part part)
{
	static const char *const names[VM_NR_PARTS] = {
		[VM_PART_USER_FAULTS] = "user page faults",
		[VM_PART_KERNEL_FAULTS] = "kernel page faults",
		[VM_PART_TLB_FLUSHES] = "TLB flushes",
		[VM_PART_TLB_REASON_NAMES] = "TLB flush reason names",
		[VM_PART_REMOTE_CPUS] = "remote CPUs",
	};

	return part < VM_NR_PARTS ? names[part] : "?";
}

void vm_parts_text(const struct vm_part_state *parts, FILE *out)
{
	for (int p = 0; p < VM_NR_PARTS; p++)
		if (!parts[p].on)
			fprintf(out, "not counted: %s: %s\n", vm_part_name(p), parts[p].why);
}

json_t *vm_parts_json(const struct vm_part_state *parts)
{
	json_t *a = json_array();

	for (int p = 0; p < VM_NR_PARTS; p++) {
		if (parts[p].on)
			continue;
		json_array_append_new(a, json_pack("{s:s, s:s}", "part", vm_part_name(p),
						   "why", parts[p].why));
	}
	return a;
}
