// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exposure.h"
#include "procfs.h"
#include "unpriv.h"

#define NOTES_MAX	(64 * 1024)	/* a few hundred bytes in practice */

static const char *const sysctl_names[NR_SYSCTLS] = {
	[SYSCTL_KPTR_RESTRICT] = "kptr_restrict",
	[SYSCTL_DMESG_RESTRICT] = "dmesg_restrict",
	[SYSCTL_PERF_EVENT_PARANOID] = "perf_event_paranoid",
	[SYSCTL_UNPRIVILEGED_BPF_DISABLED] = "unprivileged_bpf_disabled",
	[SYSCTL_KEXEC_LOAD_DISABLED] = "kexec_load_disabled",
};

/* Its value, or the errno that tells an absent sysctl (ENOENT) from an unreadable one. */
static int sysctl_value(const char *name, long *value)
{
	char path[96], buf[32], *end;
	int n;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	n = read_small_file(path, buf, sizeof(buf));
	if (n < 0)
		return -n;
	errno = 0;
	*value = strtol(buf, &end, 10);
	return n && end != buf && !errno ? 0 : EINVAL;
}

/* Whether SMT siblings run (the kernel's own word); -1 when it does not say. */
static int smt_active(void)
{
	char buf[8];

	if (read_small_file("/sys/devices/system/cpu/smt/active", buf, sizeof(buf)) <= 0)
		return -1;
	return buf[0] == '1';
}

static int notes_read(struct exposure_facts *f)
{
	FILE *file = fopen("/sys/kernel/notes", "re");

	if (!file) {
		f->notes_err = errno;
		return 0;
	}
	f->notes = malloc(NOTES_MAX);
	if (f->notes)
		f->notes_len = fread(f->notes, 1, NOTES_MAX, file);
	fclose(file);
	return f->notes ? 0 : -ENOMEM;
}

static int by_name(const struct dirent **x, const struct dirent **y)
{
	return strcmp((*x)->d_name, (*y)->d_name);
}

static int vulns_read(const char *dir, struct exposure_facts *f)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name), err = 0;

	f->vulns_dir = dir;
	f->nr_vulns = -1;
	if (n < 0)
		return 0;
	f->nr_vulns = 0;
	f->vulns = calloc(n ? n : 1, sizeof(*f->vulns));
	for (int i = 0; i < n; i++) {
		struct cpu_vuln *v = &f->vulns[f->nr_vulns];
		char path[512];

		if (f->vulns && names[i]->d_name[0] != '.') {
			snprintf(v->name, sizeof(v->name), "%.63s", names[i]->d_name);
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			if (read_small_file(path, v->text, sizeof(v->text)) < 0)
				snprintf(v->text, sizeof(v->text), "unreadable");
			v->text[strcspn(v->text, "\n")] = '\0';
			f->nr_vulns++;
		}
		free(names[i]);
	}
	free(names);
	if (!f->vulns)
		err = -ENOMEM;
	return err;
}

int exposure_read(uid_t uid, gid_t gid, const char *vulns_dir, struct exposure_facts *f)
{
	int err;

	memset(f, 0, sizeof(*f));
	for (int i = 0; i < NR_SYSCTLS; i++) {
		f->sysctl[i].name = sysctl_names[i];
		f->sysctl[i].err = sysctl_value(sysctl_names[i], &f->sysctl[i].value);
	}
	f->kvm_err = access("/dev/kvm", F_OK) ? errno : 0;
	f->smt_active = smt_active();
	f->uid = uid;
	f->gid = gid;
	f->unpriv_err = unpriv_probe(uid, gid, &f->unpriv);
	err = notes_read(f);
	if (!err)
		err = vulns_read(vulns_dir, f);
	return err;
}

void exposure_free(struct exposure_facts *f)
{
	free(f->notes);
	free(f->vulns);
	memset(f, 0, sizeof(*f));
}
