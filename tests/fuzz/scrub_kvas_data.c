// SPDX-License-Identifier: GPL-2.0
/*
 * make-seeds' helper: a kvas.data recorded on this machine, rewritten
 * small (the first records of each kind) and without this host's layout:
 * every kernel address becomes one at the same offset from an invented
 * base (kernel text at 0xffffffff81000000, the direct map at
 * 0xffff888000000000, ...), physical addresses keep their page offset
 * only, and the layout, host and time meta values are invented.
 *   scrub_kvas_data IN OUT
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvas_data.h"
#include "recording.h"

#define KEEP 24			/* records of each kind */
#define KERNEL_HALF 0xffff800000000000ULL

struct base {
	const char *key;
	uint64_t real, fake;
};

static struct base bases[] = {
	{ "kernel_text", 0, 0xffffffff81000000ULL },
	{ "vmemmap_base", 0, 0xffffea0000000000ULL },
	{ "vmalloc_base", 0, 0xffffc90000000000ULL },
	{ "page_offset_base", 0, 0xffff888000000000ULL },
};

static const char *const invented[][2] = {
	{ "page_offset_base", "0xffff888000000000" }, { "vmalloc_base", "0xffffc90000000000" },
	{ "vmemmap_base", "0xffffea0000000000" }, { "kernel_text", "0xffffffff81000000" },
	{ "phys_base", "unknown" }, { "hostname", "seed-host" },
	{ "started_at", "2026-01-01T00:00:00Z" }, { "boot_start_ns", "1000000000" },
	{ "mono_start_ns", "1000000000" },
};

/* The nearest real base below v (bases[] is highest first), moved to its fake. */
static uint64_t scrub(uint64_t v)
{
	if (v < KERNEL_HALF)
		return v;
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (bases[i].real && v >= bases[i].real && v - bases[i].real < (1ULL << 40))
			return bases[i].fake + (v - bases[i].real);
	return 0xfffffe0000000000ULL | (v & 0xfffff);	/* no base known: an offset only */
}

int main(int argc, char **argv)
{
	struct recording r;
	struct kd_writer w;
	char why[256];
	uint32_t index;
	FILE *in, *out;

	if (argc != 3 || !(in = fopen(argv[1], "rb")) || !(out = fopen(argv[2], "wb")))
		return 2;
	if (kd_read(in, &r, why, sizeof(why)) < 0) {
		fprintf(stderr, "scrub_kvas_data: %s\n", why);
		return 1;
	}
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		const char *v = recording_meta(&r, bases[i].key);

		bases[i].real = v ? strtoull(v, NULL, 0) : 0;
	}
	kd_write_begin(&w, out);
	for (size_t i = 0; i < r.nr_meta; i++) {
		const char *value = r.meta[i].value;

		for (size_t k = 0; k < sizeof(invented) / sizeof(invented[0]); k++)
			if (!strcmp(r.meta[i].key, invented[k][0]))
				value = invented[k][1];
		kd_write_meta(&w, r.meta[i].key, value);
	}
	for (size_t i = 0; i < r.nr_processes && i < KEEP; i++)
		kd_write_process(&w, &r.processes[i]);
	for (size_t i = 0; i < r.nr_threads && i < KEEP; i++)
		kd_write_thread(&w, &r.threads[i]);
	for (size_t i = 0; i < r.nr_cgroups && i < KEEP; i++)
		kd_write_cgroup(&w, &r.cgroups[i]);
	for (size_t i = 0; i < r.nr_mappings && i < KEEP; i++)
		kd_write_mapping(&w, &r.mappings[i]);
	for (size_t i = 0; i < r.nr_stacks && i < KEEP; i++) {
		struct rec_stack *s = &r.stacks[i];

		for (uint32_t k = 0; k < s->nr_kernel + s->nr_user; k++)
			s->ips[k] = scrub(s->ips[k]);
		kd_write_stack(&w, s, &index);
	}
	for (size_t i = 0; i < r.nr_events && i < KEEP; i++) {
		struct rec_event e = r.events[i];

		e.addr = scrub(e.addr);
		e.ip = scrub(e.ip);
		e.pa = e.pa ? 0x100000000ULL + i * 0x1000 + (e.pa & 0xfff) : 0;
		if (e.stack != REC_NO_STACK && e.stack >= KEEP)
			e.stack = REC_NO_STACK;
		kd_write_event(&w, &e);
	}
	for (size_t i = 0; i < r.nr_dmap_changes && i < KEEP; i++) {
		struct rec_dmap_change c = r.dmap_changes[i];

		c.addr = scrub(c.addr);
		c.va = scrub(c.va);
		c.pa = c.pa & 0xfff;
		if (c.stack != REC_NO_STACK && c.stack >= KEEP)
			c.stack = REC_NO_STACK;
		kd_write_dmap_change(&w, &c);
	}
	for (size_t i = 0; i < r.nr_frames && i < 4 * KEEP; i++) {
		struct rec_frame f = r.frames[i];

		f.ip = scrub(f.ip);
		kd_write_frame(&w, &f);
	}
	kd_write_end(&w);
	recording_free(&r);
	fclose(in);
	return fclose(out) ? 1 : 0;
}
