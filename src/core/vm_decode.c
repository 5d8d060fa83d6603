// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "vm_decode.h"

static const char *const event_names[] = {
	[VM_FAULT_USER] = "fault-user",
	[VM_FAULT_KERNEL] = "fault-kernel",
	[VM_TLB_FLUSH] = "tlb-flush",
	[VM_TRANSLATION] = "translation",
};

const char *vm_event_name(unsigned int kind)
{
	return kind < sizeof(event_names) / sizeof(event_names[0]) ? event_names[kind] : "?";
}

int vm_event_by_name(const char *name)
{
	/* a translation is no event one can ask for */
	for (int k = 0; k < VM_NR_TRACED; k++)
		if (!strcmp(name, event_names[k]))
			return k;
	return -1;
}

char *fault_error_str(uint64_t error_code, char *buf, size_t len)
{
	static const struct { uint64_t bit; const char *set, *clear; } bits[] = {
		{ 1 << 1, "write", "read" },
		{ 1 << 2, "user", "kernel" },
		{ 1 << 0, "protection", "not-present" },
		{ 1 << 3, "reserved-bit", NULL },
		{ 1 << 4, "ifetch", NULL },
		{ 1 << 5, "pkey", NULL },
		{ 1 << 6, "shadow-stack", NULL },
		{ 1 << 15, "sgx", NULL },
	};
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		const char *word = error_code & bits[i].bit ? bits[i].set : bits[i].clear;

		if (word)
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "," : "", word);
	}
	return buf;
}

const char *fault_class_name(unsigned int cls)
{
	static const char *const names[FAULT_NR_CLASSES] = {
		"read, not-present", "write, not-present", "ifetch, not-present",
		"write+ifetch, not-present", "read, protection", "write, protection",
		"ifetch, protection", "write+ifetch, protection",
	};

	return cls < FAULT_NR_CLASSES ? names[cls] : "?";
}

/* The short names users know for the kernel's enumerators. */
static const struct {
	const char *enumerator, *name;
} tlb_reason_known[] = {
	{ "TLB_FLUSH_ON_TASK_SWITCH", "task switch" },
	{ "TLB_REMOTE_SHOOTDOWN", "remote shootdown" },
	{ "TLB_LOCAL_SHOOTDOWN", "local shootdown" },
	{ "TLB_LOCAL_MM_SHOOTDOWN", "local mm shootdown" },
	{ "TLB_REMOTE_SEND_IPI", "remote flush request" },
	{ "TLB_REMOTE_WRONG_CPU", "remote wrong CPU" },
};

void tlb_reasons_init(struct tlb_reasons *t)
{
	for (unsigned int r = 0; r < TLB_NR_REASONS - 1; r++)
		/* not in the kernel's enum as kvas read it: the number is all there is */
		snprintf(t->name[r], sizeof(t->name[r]), "reason %u", r);
	snprintf(t->name[TLB_NR_REASONS - 1], sizeof(t->name[0]), "other");
}

void tlb_reasons_learn(struct tlb_reasons *t, const char *enumerator, int64_t value)
{
	char *name;
	size_t n = 0;

	/* the count of reasons is no reason; the last slot stays "other" */
	if (value < 0 || value >= TLB_NR_REASONS - 1 || !strncmp(enumerator, "NR_", 3))
		return;
	name = t->name[value];
	for (size_t i = 0; i < sizeof(tlb_reason_known) / sizeof(tlb_reason_known[0]); i++) {
		if (!strcmp(enumerator, tlb_reason_known[i].enumerator)) {
			snprintf(name, sizeof(t->name[0]), "%s", tlb_reason_known[i].name);
			return;
		}
	}
	/* one this table does not know yet: TLB_FOO_BAR reads "foo bar" */
	if (!strncmp(enumerator, "TLB_", 4))
		enumerator += 4;
	for (; enumerator[n] && n < sizeof(t->name[0]) - 1; n++)
		name[n] = enumerator[n] == '_' ? ' ' : tolower((unsigned char)enumerator[n]);
	name[n] = '\0';
}

const char *tlb_reason_name(const struct tlb_reasons *t, unsigned int reason)
{
	if (reason >= TLB_NR_REASONS - 1)
		return "other";
	return t ? t->name[reason] : "unnamed";
}

char *tlb_size_name(unsigned int bucket, char *buf, size_t len)
{
	if (!bucket)
		snprintf(buf, len, "full");
	else if (bucket <= 2)
		snprintf(buf, len, "%u", bucket - 1);
	else if (bucket == TLB_NR_SIZES - 1)
		snprintf(buf, len, "%u+", 1u << (bucket - 2));
	else
		snprintf(buf, len, "%u-%u", 1u << (bucket - 2), (1u << (bucket - 1)) - 1);
	return buf;
}

const char *tlb_class_name(unsigned int tlb_class)
{
	static const char *const names[TLBC_NR] = {
		[TLBC_LOCAL] = "local flush",
		[TLBC_REMOTE] = "remote flush",
		[TLBC_SENT] = "shootdown request sent",
		[TLBC_NO_FLUSH] = "switch without flush",
		[TLBC_OTHER] = "other reason",
	};

	return tlb_class < TLBC_NR ? names[tlb_class] : "?";
}

const char *fault_region_name(unsigned int region)
{
	static const char *const names[FR_NR] = {
		[FR_USER] = "user memory (uaccess)",
		[FR_DIRECT_MAP] = "direct map",
		[FR_VMALLOC] = "vmalloc",
		[FR_VMEMMAP] = "vmemmap",
		[FR_KERNEL_IMAGE] = "kernel image",
		[FR_MODULES] = "modules",
		[FR_OTHER] = "other",
	};

	return region < FR_NR ? names[region] : "?";
}
