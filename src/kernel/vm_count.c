// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "kernel_btf.h"
#include "mono_clock.h"
#include "vm_count.h"
#include "vm_count.skel.h"

static void *count_open(const void *arg, const struct vm_programs *p, struct vm_skeleton *out)
{
	const struct vm_count_config *cfg = arg;
	struct vm_count_bpf *skel = vm_count_bpf__open_opts(kernel_btf_open_opts());
	struct vm_count_bpf__rodata *ro;

	if (!skel)
		return NULL;
	ro = skel->rodata;
	ro->translate_every = cfg->translate_every;
	ro->count_ipi_cpus = p->parts[VM_PART_REMOTE_CPUS].on;
	ro->cpu_words = (p->nr_cpus + 63) / 64;
	bpf_map__set_max_entries(skel->maps.tasks, cfg->max_tasks ? cfg->max_tasks : 16384);
	*out = (struct vm_skeleton){ skel->skeleton, &ro->knobs, &ro->host_mnt_ns,
				     &skel->bss->send_path };
	return skel;
}

static void count_destroy(void *skel)
{
	vm_count_bpf__destroy(skel);
}

static const struct vm_mode count_mode = { count_open, count_destroy };

static struct bpf_program *user_fault_prog(struct vm_count *vc, struct bpf_link ***link)
{
	if (vc->p.raw_tp) {
		*link = &vc->skel->links.fault_user_raw;
		return vc->skel->progs.fault_user_raw;
	}
	*link = &vc->skel->links.fault_user_btf;
	return vc->skel->progs.fault_user_btf;
}

int vm_count_open(struct vm_count *vc, const struct vm_count_config *cfg,
		  const struct translate_ctx *layout, char *why, size_t len)
{
	struct vm_load load = {
		.record_mask = cfg->record_mask,
		.filter_containers = cfg->filter_containers,
		.user_faults_detached = cfg->user_faults_detached,
		.before_attach = cfg->before_attach,
		.before_attach_arg = cfg->before_attach_arg,
	};
	struct bpf_link **link;
	void *skel;
	int err;

	memset(vc, 0, sizeof(*vc));
	err = vm_programs_open(&vc->p, &count_mode, cfg, &load, layout, &skel, why, len);
	vc->skel = skel;
	if (err)
		return err;
	user_fault_prog(vc, &link);
	vc->user_on = *link != NULL;
	vc->user_on_since_ns = monotonic_ns();
	return 0;
}

int vm_count_watch_user_faults(struct vm_count *vc, bool on)
{
	struct bpf_link **link;
	struct bpf_program *prog = user_fault_prog(vc, &link);
	uint64_t now;

	if (!bpf_program__autoload(prog) || on == vc->user_on)
		return 0;
	if (on) {
		*link = bpf_program__attach(prog);
		if (!*link)
			return -errno;
	} else {
		bpf_link__destroy(*link);
		*link = NULL;
	}
	now = monotonic_ns();
	if (on)
		vc->user_on_since_ns = now;
	else
		vc->user_on_total_ns += now - vc->user_on_since_ns;
	vc->user_on = on;
	return 0;
}

uint64_t vm_count_user_watched_ns(const struct vm_count *vc)
{
	return vc->user_on_total_ns + (vc->user_on ? monotonic_ns() - vc->user_on_since_ns : 0);
}

void vm_count_close(struct vm_count *vc)
{
	vm_count_bpf__destroy(vc->skel);
	vc->skel = NULL;
	vc->p.obj = NULL;
	vc->p.taken_path = NULL;
}
