// SPDX-License-Identifier: GPL-2.0
/*
 * kvas why: what turning a physical address into a pointer costs in the
 * kernel. Run with BPF_PROG_TEST_RUN (nothing attached): for each of
 * nr_pas physical addresses it makes the pointer, by one addition through
 * the direct map or by a walk of the kernel's page tables from walk_pgd
 * (pgwalk.bpf.h, 4 or 5 levels), then reads 8 bytes there; the whole run
 * is timed once, so the clock's own cost is shared by every address.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pgwalk.bpf.h"
#include "why_walk_shared.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u64 page_offset_base = 0;
const volatile __u64 pa_mask = 0;
const volatile __u32 levels = 4;

/* In. */
__u64 walk_pgd;
__u32 mode;			/* enum why_walk_mode */
__u32 nr_pas;
__u64 pas[WHY_WALK_ADDRS];
/* Out. */
__u64 run_ns;
__u32 done, failed;
__u64 sink;			/* what was read: the reads are not optimized away */

SEC("raw_tp")
int why_walk(void *ctx)
{
	struct pgwalk_cfg cfg = {
		.page_offset_base = page_offset_base, .pa_mask = pa_mask, .levels = levels,
	};
	__u32 n = nr_pas, ok = 0, bad = 0;
	__u64 acc = 0, t0;

	t0 = bpf_ktime_get_ns();
	for (__u32 i = 0; i < WHY_WALK_ADDRS; i++) {
		__u64 pa, ptr, word;
		__u32 shift;

		if (i >= n)
			break;
		pa = pas[i];
		if (mode == WHY_BY_WALK) {
			if (pgwalk(&cfg, walk_pgd, page_offset_base + pa, NULL, NULL, &pa,
				   &shift) != UWALK_OK) {
				bad++;
				continue;
			}
		}
		ptr = page_offset_base + pa;
		if (bpf_probe_read_kernel(&word, sizeof(word), (void *)ptr)) {
			bad++;
			continue;
		}
		acc += word;
		ok++;
	}
	run_ns = bpf_ktime_get_ns() - t0;
	done = ok;
	failed = bad;
	sink = acc;
	return 0;
}
