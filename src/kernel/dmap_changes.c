// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "cgroup_cache.h"
#include "kernel_btf.h"
#include "dmap_changes.h"
#include "dmap_changes.skel.h"
#include "dmap_report.h"
#include "kconfig.h"

static struct dmap_changes_bpf *load(bool kprobe, int *err, char *why, size_t len)
{
	struct dmap_changes_bpf *skel = dmap_changes_bpf__open_opts(kernel_btf_open_opts());

	if (!skel) {
		*err = -errno;
		snprintf(why, len, "cannot open the BPF object: %s", strerror(errno));
		return NULL;
	}
	skel->rodata->host_mnt_ns = cgroup_host_mnt_ns();
	bpf_program__set_autoload(skel->progs.cpa_fentry, !kprobe);
	bpf_program__set_autoload(skel->progs.invalid_fentry, !kprobe);
	bpf_program__set_autoload(skel->progs.default_fentry, !kprobe);
	bpf_program__set_autoload(skel->progs.cpa_kprobe, kprobe);
	bpf_program__set_autoload(skel->progs.invalid_kprobe, kprobe);
	bpf_program__set_autoload(skel->progs.default_kprobe, kprobe);
	*err = bpf_skel_load(skel->skeleton, true, why, len);
	if (*err) {
		dmap_changes_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

/* One kind of probe's failure: the configuration when it says, else the kernel's words. */
static void probe_failure(const struct kconfig *kc, const char *opt, const char *reason,
			  char *buf, size_t len)
{
	if (kc && kconfig_bool(kc, opt) == KCONFIG_NO)
		snprintf(buf, len, "%s is off", opt);
	else
		snprintf(buf, len, "%s", reason);
}

/* fentry attaches only to functions the kernel's BTF describes. */
static bool fentry_targets_in_btf(char *why, size_t len)
{
	static const char *const targets[] = {
		"__change_page_attr_set_clr", "set_direct_map_invalid_noflush",
		"set_direct_map_default_noflush",
	};

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		if (!kernel_has_func(targets[i])) {
			snprintf(why, len, "no function %s in the kernel's BTF", targets[i]);
			return false;
		}
	}
	return true;
}

int dmap_changes_open(struct dmap_changes *dc, const struct kconfig *kc, char *why,
		      size_t len)
{
	int fentry_err = -ENOENT, kprobe_err;
	char f[200], k[200], fentry_why[200], kprobe_why[200];

	memset(dc, 0, sizeof(*dc));
	/* libbpf says why each attempt failed; only kvas's summary is shown */
	if (fentry_targets_in_btf(fentry_why, sizeof(fentry_why)))
		dc->skel = load(false, &fentry_err, fentry_why, sizeof(fentry_why));
	if (dc->skel) {
		dc->method = "fentry";
		return 0;
	}
	dc->skel = load(true, &kprobe_err, kprobe_why, sizeof(kprobe_why));
	if (dc->skel) {
		dc->method = "kprobe";
		return 0;
	}
	probe_failure(kc, "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS", fentry_why, f, sizeof(f));
	probe_failure(kc, "CONFIG_KPROBES", kprobe_why, k, sizeof(k));
	snprintf(why, len, "unavailable: the kernel refused fentry (%s) and kprobes (%s)", f, k);
	return kprobe_err;
}

void dmap_changes_close(struct dmap_changes *dc)
{
	dmap_changes_bpf__destroy(dc->skel);
	dc->skel = NULL;
}

int dmap_changes_ringbuf_fd(struct dmap_changes *dc)
{
	return bpf_map__fd(dc->skel->maps.changes);
}

uint64_t dmap_changes_lost(struct dmap_changes *dc)
{
	return dc->skel ? dc->skel->bss->lost : 0;
}

static int on_change(void *ctx, void *data, size_t len)
{
	struct dmap_events *ev = ctx;

	if (len < sizeof(struct dmap_change))
		return 0;
	if (ev->nr_changes < DMAP_MAX_EVENTS)
		memcpy(&ev->changes[ev->nr_changes++], data, sizeof(struct dmap_change));
	else
		ev->changes_over++;
	return 0;
}

static int on_fault(void *ctx, void *data, size_t len)
{
	struct dmap_events *ev = ctx;
	const struct vm_event *e = data;

	if (len < sizeof(*e) || e->kind != VM_FAULT_KERNEL)
		return 0;	/* translations of earlier faults: not needed here */
	if (ev->nr_faults < DMAP_MAX_EVENTS)
		ev->faults[ev->nr_faults++] = *e;
	else
		ev->faults_over++;
	return 0;
}

struct ring_buffer *dmap_events_reader(struct dmap_changes *dc, int faults_fd,
				       struct dmap_events *ev)
{
	struct ring_buffer *rb = ring_buffer__new(faults_fd, on_fault, ev, NULL);
	int err;

	if (!rb || !dc->skel)
		return rb;
	err = ring_buffer__add(rb, dmap_changes_ringbuf_fd(dc), on_change, ev);
	if (err) {
		ring_buffer__free(rb);
		errno = -err;
		return NULL;
	}
	return rb;
}
