// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "kernel_btf.h"
#include "why_walk.h"
#include "why_walk_shared.h"
#include "why_walk.skel.h"

#define MAX_ROUNDS 16

/* A random 8-byte-aligned address inside System RAM, weighted by each range's size. */
static uint64_t random_ram_pa(const struct iomem *io, unsigned int *seed)
{
	uint64_t total = 0, pick;

	for (int i = 0; i < io->nr_ram; i++)
		total += io->ram[i].end - io->ram[i].start + 1;
	pick = ((((uint64_t)rand_r(seed) << 31) ^ (uint64_t)rand_r(seed)) << 12) % total;
	for (int i = 0; i < io->nr_ram; i++) {
		uint64_t len = io->ram[i].end - io->ram[i].start + 1;

		if (pick < len)
			return (io->ram[i].start + pick) & ~7ULL;
		pick -= len;
	}
	return io->ram[0].start;
}

/* One run over the addresses in the map: ns per address read, or -errno. */
static double run_once(struct why_walk_bpf *skel, enum why_walk_mode mode, uint32_t *failed)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct why_walk_bpf__bss *bss = skel->bss;

	bss->mode = mode;
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.why_walk), &opts))
		return -errno;
	*failed += bss->failed;
	if (!bss->done)
		return -EFAULT;
	return (double)bss->run_ns / bss->done;
}

/*
 * Fresh addresses, read once untimed: the timed runs then find the data in
 * the caches (and, under a hypervisor with shadow page tables, mapped
 * there), so what differs between them is the translation alone.
 */
static int fresh_addresses(struct why_walk_bpf *skel, const struct iomem *io, unsigned int *seed)
{
	uint32_t ignored = 0;
	double warm;

	skel->bss->nr_pas = WHY_WALK_ADDRS;
	for (int i = 0; i < WHY_WALK_ADDRS; i++)
		skel->bss->pas[i] = random_ram_pa(io, seed);
	warm = run_once(skel, WHY_BY_ADDITION, &ignored);
	return warm < 0 ? (int)warm : 0;
}

void why_walk_measure(const struct translate_ctx *ctx, uint64_t pgd, const struct iomem *io,
		      int rounds, struct why_measure *m)
{
	double walk[MAX_ROUNDS], add[MAX_ROUNDS];
	struct why_walk_bpf *skel;
	unsigned int seed = 25;
	int n = 0, err;

	if (!io->nr_ram || io->censored) {
		snprintf(m->walk_why_not, sizeof(m->walk_why_not),
			 "/proc/iomem lists no System RAM to pick addresses from");
		return;
	}
	skel = why_walk_bpf__open_opts(kernel_btf_open_opts());
	if (!skel) {
		snprintf(m->walk_why_not, sizeof(m->walk_why_not), "cannot open the BPF object: %s",
			 strerror(errno));
		return;
	}
	skel->rodata->page_offset_base = ctx->page_offset_base;
	skel->rodata->pa_mask = ctx->pa_mask;
	skel->rodata->levels = ctx->levels;
	err = bpf_skel_load(skel->skeleton, false, m->walk_why_not, sizeof(m->walk_why_not));
	if (err)
		goto out;
	skel->bss->walk_pgd = pgd;
	m->walk_addresses = WHY_WALK_ADDRS;
	for (int r = 0; r < rounds && r < MAX_ROUNDS; r++) {
		double a = fresh_addresses(skel, io, &seed), w = a;

		/* the order alternates: neither always runs right after the warming */
		if (a >= 0 && r % 2) {
			w = run_once(skel, WHY_BY_WALK, &m->walk_failed);
			a = run_once(skel, WHY_BY_ADDITION, &m->walk_failed);
		} else if (a >= 0) {
			a = run_once(skel, WHY_BY_ADDITION, &m->walk_failed);
			w = run_once(skel, WHY_BY_WALK, &m->walk_failed);
		}
		if (a < 0 || w < 0) {
			snprintf(m->walk_why_not, sizeof(m->walk_why_not), "a run failed: %s",
				 strerror((int)-(a < 0 ? a : w)));
			break;
		}
		add[n] = a;
		walk[n++] = w;
	}
	if (n == rounds) {
		why_stat_of(add, n, &m->direct_map_ns);
		why_stat_of(walk, n, &m->walk_ns);
	}
out:
	why_walk_bpf__destroy(skel);
}
