// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kernel_btf.h"
#include "secretmem.h"
#include "why_read.h"

#define KVM_CHECK_EXTENSION_IOCTL 0xAE03	/* _IO(KVMIO, 0x03) */
#define KVM_CAP_GUEST_MEMFD 234

int why_kinds_read(struct why_report *r, const struct kconfig *kc)
{
	FILE *f = fopen("/proc/meminfo", "re");
	enum kconfig_state vs = kc ? kconfig_bool(kc, "CONFIG_VMAP_STACK") : KCONFIG_UNKNOWN;
	int err;

	if (!f)
		return -errno;
	err = why_kinds_parse(f, &r->kinds);
	fclose(f);
	r->kinds.vmap_stack_known = vs != KCONFIG_UNKNOWN;
	r->kinds.vmap_stack = vs == KCONFIG_YES;
	return err;
}

/*
 * guest_memfd's pages leave the direct map with GUEST_MEMFD_FLAG_NO_DIRECT_MAP,
 * which no released uapi header numbers yet: KVM says whether it has
 * guest_memfd, the kernel's BTF whether a mapping can be marked not in the
 * direct map (AS_NO_DIRECT_MAP, what the flag sets).
 */
static void guest_memfd_probe(struct why_report *r)
{
	int64_t v;
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), cap;

	r->guest_memfd = -1;
	if (kvm < 0) {
		snprintf(r->guest_memfd_why, sizeof(r->guest_memfd_why), "unknown: %s",
			 errno == ENOENT ? "no /dev/kvm" : strerror(errno));
		return;
	}
	cap = ioctl(kvm, KVM_CHECK_EXTENSION_IOCTL, KVM_CAP_GUEST_MEMFD);
	close(kvm);
	r->guest_memfd = cap > 0 && kernel_enum_value("mapping_flags", "AS_NO_DIRECT_MAP", &v);
	if (cap <= 0)
		snprintf(r->guest_memfd_why, sizeof(r->guest_memfd_why),
			 "no: KVM has no guest_memfd (KVM_CAP_GUEST_MEMFD)");
	else if (!r->guest_memfd)
		snprintf(r->guest_memfd_why, sizeof(r->guest_memfd_why),
			 "no: guest_memfd, without its no-direct-map flag (no AS_NO_DIRECT_MAP)");
}

/* Address-space isolation: a type and a function only ASI kernels have. */
static void asi_probe(struct why_report *r)
{
	uint32_t size;

	r->asi = kernel_struct_size("asi", &size) && kernel_has_func("asi_enter");
	if (!r->asi)
		snprintf(r->asi_why, sizeof(r->asi_why), "%s",
			 kernel_btf() ? "no (no struct asi or asi_enter() in the kernel's BTF)"
				      : "unknown (no kernel BTF)");
}

void why_removal_probe(struct why_report *r, const struct kconfig *kc)
{
	r->secretmem = secretmem_available(kc, r->secretmem_why, sizeof(r->secretmem_why));
	if (!r->secretmem && !r->secretmem_why[0])
		snprintf(r->secretmem_why, sizeof(r->secretmem_why), "no");
	guest_memfd_probe(r);
	asi_probe(r);
}
