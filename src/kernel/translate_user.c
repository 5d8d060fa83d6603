// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "task_watch.h"
#include "translate_run.h"
#include "translate_user.h"
#include "uwalk.h"

static void lookup_mapping(struct translation *t)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", t->pid);
	f = fopen(path, "re");
	if (!f) {
		/* unreadable is not gone: say so where the mapping would be */
		if (errno == EACCES || errno == EPERM)
			snprintf(t->mapping, sizeof(t->mapping), "unknown: %s is unreadable to kvas (%s)",
				 path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;

		if (sscanf(line, "%llx-%llx", &start, &end) == 2 &&
		    t->addr >= start && t->addr < end) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(t->mapping, sizeof(t->mapping), "%s", line);
			break;
		}
	}
	fclose(f);
}

/*
 * Which process to walk: pid itself, or the process a thread's id belongs
 * to (threads share one mm). False, with the error set, when there is none.
 */
static bool resolve_process(struct translation *t)
{
	struct proc_status st;
	char why[sizeof(t->error)];

	if (task_status_read(t->pid, &st)) {
		snprintf(t->error, sizeof(t->error), "no such process: pid %d", t->pid);
		return false;
	}
	snprintf(t->comm, sizeof(t->comm), "%s", st.name);
	if (st.tgid != t->pid) {
		t->tid = t->pid;
		t->pid = st.tgid;
		if (task_status_read(t->pid, &st)) {
			snprintf(t->error, sizeof(t->error), "no such process: pid %d (thread %d's)",
				 t->pid, t->tid);
			return false;
		}
	}
	if (process_problem(&st, t->pid, why, sizeof(why))) {
		snprintf(t->error, sizeof(t->error), "%s", why);
		return false;
	}
	return true;
}

/* The BPF walk found no mm: say why, from what /proc says now. */
static void explain_no_mm(struct translation *t)
{
	struct proc_status st;
	char why[sizeof(t->error)];

	if (task_status_read(t->pid, &st))
		snprintf(t->error, sizeof(t->error), "no such process: pid %d (it exited)", t->pid);
	else if (process_problem(&st, t->pid, why, sizeof(why)))
		snprintf(t->error, sizeof(t->error), "%s", why);
	else if (st.kthread == 0)
		snprintf(t->error, sizeof(t->error),
			 "pid %d (%s) has no address space: it is exiting", t->pid, t->comm);
	else
		snprintf(t->error, sizeof(t->error),
			 "pid %d (%s) is a kernel thread: it has no user address space",
			 t->pid, t->comm);
}

/*
 * The BPF task iterator did not find pid. Gone, or alive and out of its
 * reach: say which, and whether /proc hides the process from kvas too.
 */
static void explain_not_found(struct translation *t)
{
	struct proc_status st;
	char path[64];
	int n, fd;

	if (task_status_read(t->pid, &st)) {
		snprintf(t->error, sizeof(t->error), "no such process: pid %d (it exited)", t->pid);
		return;
	}
	n = snprintf(t->error, sizeof(t->error),
		     "pid %d (%s) is alive but out of kvas's reach: the BPF task iterator "
		     "did not visit it", t->pid, st.name);
	snprintf(path, sizeof(path), "/proc/%d/maps", t->pid);
	/* the ptrace access check runs at open, not in access() */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	else if ((errno == EACCES || errno == EPERM) && n > 0 && (size_t)n < sizeof(t->error))
		snprintf(t->error + n, sizeof(t->error) - n, "; /proc/%d/maps: %s (ptrace access check)",
			 t->pid, strerror(errno));
}

bool translate_user_walk(struct translator *tr, struct translation *t)
{
	struct walk_params p = {
		.page_offset_base = tr->ctx.page_offset_base,
		.pa_mask = tr->ctx.pa_mask, .levels = tr->ctx.levels,
	};

	t->user = true;
	if (!resolve_process(t))
		return false;
	if (!tr->uw && !(tr->uw = uwalk_open())) {
		snprintf(t->error, sizeof(t->error), "cannot load the BPF page-table walker: %s",
			 strerror(errno));
		return false;
	}
	switch (uwalk_run(tr->uw, t->pid, t->addr, &p, &t->walk, t->comm)) {
	case UWALK_NO_PROCESS:
		explain_not_found(t);
		return false;
	case UWALK_KERNEL_THREAD:
		explain_no_mm(t);
		return false;
	case UWALK_FAILED:
		snprintf(t->error, sizeof(t->error), "the BPF walk could not run: %s",
			 strerror(errno));
		return false;
	case UWALK_WALKED:
		break;
	}
	t->have_walk = true;
	lookup_mapping(t);
	return true;
}
