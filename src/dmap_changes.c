// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "kernel_btf.h"
#include "libbpf_log.h"
#include "dmap_changes.h"
#include "dmap_changes.skel.h"
#include "kconfig.h"

const char *dmap_change_kind_name(uint32_t kind)
{
	static const char *const names[DMAP_NR_CHANGE_KINDS] = {
		[DMAP_CHANGE_CPA] = "page-attr",
		[DMAP_CHANGE_INVALID] = "unmap",
		[DMAP_CHANGE_DEFAULT] = "restore",
	};

	return kind < DMAP_NR_CHANGE_KINDS ? names[kind] : "?";
}

static struct dmap_changes_bpf *load(bool kprobe, int *err, char *why, size_t len)
{
	struct dmap_changes_bpf *skel = dmap_changes_bpf__open_opts(kernel_btf_open_opts());

	if (!skel) {
		*err = -errno;
		snprintf(why, len, "cannot open the BPF object: %s", strerror(errno));
		return NULL;
	}
	bpf_program__set_autoload(skel->progs.cpa_fentry, !kprobe);
	bpf_program__set_autoload(skel->progs.invalid_fentry, !kprobe);
	bpf_program__set_autoload(skel->progs.default_fentry, !kprobe);
	bpf_program__set_autoload(skel->progs.cpa_kprobe, kprobe);
	bpf_program__set_autoload(skel->progs.invalid_kprobe, kprobe);
	bpf_program__set_autoload(skel->progs.default_kprobe, kprobe);
	libbpf_log_reset();
	*err = dmap_changes_bpf__load(skel);
	if (!*err)
		*err = dmap_changes_bpf__attach(skel);
	if (*err) {
		libbpf_load_failure(*err, why, len);
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
