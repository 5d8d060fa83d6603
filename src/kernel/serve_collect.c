// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit_checks.h"
#include "bpf_setup.h"
#include "discovery.h"
#include "exposure.h"
#include "mono_clock.h"
#include "procfs_read.h"
#include "secretmem.h"
#include "remote_flush_host.h"
#include "serve_collect.h"
#include "top_snapshot.h"
#include "translate_run.h"

/* Seconds since the epoch, for the refresh's timestamp. */
static double wall_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* A record of the changes' ring buffer, counted by the function that made it. */
static int count_change(void *ctx, void *data, size_t len)
{
	if (len >= sizeof(struct dmap_change))
		metrics_dmap_change_count(ctx, data);
	return 0;
}

/* Attribution of the direct map's changes, where the kernel lets kvas hook them. */
static void dmap_changes_attach(struct serve_collector *c, struct discovery *d)
{
	c->dmap_changes.method = "none";
	if (dmap_changes_open(&c->dc, &d->kconfig, c->attribution_why,
			      sizeof(c->attribution_why)))
		return;
	c->dc_reader = ring_buffer_open(dmap_changes_ringbuf_fd(&c->dc), count_change,
				       &c->dmap_changes);
	if (!c->dc_reader) {
		snprintf(c->attribution_why, sizeof(c->attribution_why),
			 "unavailable: cannot read its ring buffer: %s", strerror(errno));
		dmap_changes_close(&c->dc);
		return;
	}
	c->dmap_changes.method = c->dc.method;
	c->attribution_why[0] = '\0';
}

/* What changed the direct map since the last scrape; under c->lock. A failure into failed. */
static void dmap_changes_drain(struct serve_collector *c, struct read_failures *failed)
{
	int err;

	if (!c->dc_reader)
		return;
	err = ring_buffer_drain(c->dc_reader, 0);
	if (err < 0)
		read_failure_add(failed, "direct-map changes ring buffer", err);
	c->dmap_changes.lost = dmap_changes_lost(&c->dc);
}

int serve_collector_open(struct serve_collector *c, struct translator *tr, struct discovery *d,
			 size_t max_containers, double interval, char *why, size_t len)
{
	/*
	 * kvas top's counting, without its windows on user-mode faults: those
	 * the kernel counts itself, per thread (task_faults), and a program on
	 * every one of them would cost each fault of the host more than all
	 * the rest. Programs run only on what the kernel does not count:
	 * kernel-mode faults by class and region, and TLB events.
	 */
	struct vm_count_config cfg = {
		.record_mask = VM_MASK(VM_FAULT_KERNEL) | VM_MASK(VM_TLB_FLUSH),
		.max_tasks = 16384,
	};
	struct passwd *pw = getpwnam("nobody");

	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->max_containers = max_containers;
	c->tr = tr;
	c->d = d;
	c->refreshed.interval = interval;
	c->probe_uid = pw ? pw->pw_uid : 65534;
	c->probe_gid = pw ? pw->pw_gid : 65534;
	cgroup_cache_init(&c->cc);
	/* how remote flushes go: the probe's requests come before kvas counts */
	remote_flush_host_read(&c->host);
	/* the fault counts start between the programs' load and their attach, as top's */
	cfg.before_attach = task_faults_start;
	cfg.before_attach_arg = &c->tf;
	if (vm_count_open(&c->ev, &cfg, &tr->ctx, why, len)) {
		task_faults_close(&c->tf);
		cgroup_cache_free(&c->cc);
		return -1;
	}
	c->have_facts = d->iomem.nr_ram && !dmap_facts_init(&c->facts, &d->iomem, &tr->ctx);
	dmap_changes_attach(c, d);
	/* the maps count from the attach: the mark's counters are 0, its interrupts now */
	c->mark.irqs_known = tlb_interrupts_read(&c->mark.irqs);
	return 0;
}

static void refreshed_free(struct metrics_refreshed *f)
{
	free(f->checks);
	f->checks = NULL;
	f->nr_checks = 0;
}

void serve_collector_close(struct serve_collector *c)
{
	if (c->have_facts)
		dmap_facts_release(&c->facts);
	if (c->dc_reader) {
		ring_buffer_close(c->dc_reader);
		dmap_changes_close(&c->dc);
	}
	task_faults_close(&c->tf);
	vm_count_close(&c->ev);
	cgroup_cache_free(&c->cc);
	metrics_tally_free(&c->tally);
	refreshed_free(&c->refreshed);
	pthread_mutex_destroy(&c->lock);
}

static void walk_pages(struct metrics_refreshed *f, const struct dmap_summary *sum)
{
	for (int i = 0; i < DMAP_NR_SIZES; i++)
		f->dmap_pages[i] = sum->present[i] / dmap_size_bytes(i);
	f->dmap_removed_pages = sum->removed_4k / dmap_size_bytes(DMAP_4K);
	f->have_walk = true;
}

static int kaslr_state(enum kaslr_state s)
{
	return s == KASLR_ACTIVE ? 1 : s == KASLR_INACTIVE ? 0 : -1;
}

static void kaslr_facts(struct metrics_refreshed *f, const struct audit_inputs *in)
{
	uint64_t slots = audit_text_kaslr_slots(in);
	struct mem_kaslr_entropy e;

	f->kaslr_active[KASLR_TEXT_PART] = kaslr_state(in->layout->text.state);
	f->kaslr_active[KASLR_MEMORY_PART] = kaslr_state(in->layout->memory.state);
	f->text_bits = slots ? entropy_bits(slots) : NAN;
	if (audit_memory_kaslr_entropy(in, &e))
		for (int i = 0; i < 3; i++)
			f->memory_bits[i] = NAN;
	else
		for (int i = 0; i < 3; i++)
			f->memory_bits[i] = entropy_bits(e.slots[i]);
}

/* The findings as series: area and id only, never the evidence (it holds addresses). */
static int checks_of(struct metrics_refreshed *f, const struct audit *a)
{
	f->checks = calloc(a->n ? a->n : 1, sizeof(*f->checks));
	if (!f->checks)
		return -ENOMEM;
	for (size_t i = 0; i < a->n; i++) {
		struct metrics_check *m = &f->checks[i];

		metrics_label_value(a->f[i].area, m->area, sizeof(m->area));
		snprintf(m->id, sizeof(m->id), "%s", a->f[i].id);
		m->result = audit_result_name(a->f[i].result);
	}
	f->nr_checks = a->n;
	return 0;
}

/* The audit of kvas audit, but the tenants: per-container series say that. */
static int run_audit(struct serve_collector *c, struct metrics_refreshed *f,
		     const struct dmap_look *look)
{
	struct layout_report *lr = calloc(1, sizeof(*lr));
	struct exposure_facts exposure = { 0 };
	struct audit_inputs in = { 0 };
	struct audit a = { 0 };
	struct ksyms ks = { 0 };
	char secret_why[160] = "";
	int err = -ENOMEM;

	if (!lr)
		return err;
	layout_report_build(c->d, lr);
	in.d = c->d;
	in.layout = lr;
	in.page_struct_size = c->tr->ctx.page_struct_size;
	in.dmap = f->have_walk ? &look->sum : NULL;
	in.dmap_stats = f->have_walk ? &look->stats : &c->d->dmap;
	in.secretmem = secretmem_available(&c->d->kconfig, secret_why, sizeof(secret_why));
	in.secretmem_why = secret_why;
	if (exposure_read(c->probe_uid, c->probe_gid, "/sys/devices/system/cpu/vulnerabilities",
			  &exposure))
		goto out;
	in.exposure = &exposure;
	in.ksyms = kallsyms_read(&ks) ? NULL : &ks;
	audit_kaslr(&a, &in);
	audit_exposure(&a, &in);
	audit_config(&a, &in);
	audit_vulnerabilities(&a, &in);
	audit_direct_map(&a, &in);
	kaslr_facts(f, &in);
	err = checks_of(f, &a);
out:
	audit_free(&a);
	ksyms_free(&ks);
	exposure_free(&exposure);
	free(lr);
	return err;
}

void serve_collector_refresh(struct serve_collector *c)
{
	struct metrics_refreshed f = { 0 };
	struct dmap_look look = { 0 };
	double start = monotonic_ns() / 1e9;

	pthread_mutex_lock(&c->lock);
	f.interval = c->refreshed.interval;
	memcpy(f.errors, c->refreshed.errors, sizeof(f.errors));
	pthread_mutex_unlock(&c->lock);
	for (int i = 0; i < KASLR_NR_PARTS; i++)
		f.kaslr_active[i] = -1;
	f.text_bits = NAN;
	for (int i = 0; i < 3; i++)
		f.memory_bits[i] = NAN;
	if (c->have_facts && !dmap_look_take(&look, c->tr, &c->facts) && !look.walk_err)
		walk_pages(&f, &look.sum);
	else
		f.errors[0]++;
	if (run_audit(c, &f, &look))
		f.errors[1]++;
	dmap_look_free(&look);
	f.unix_time = wall_s();
	f.seconds = monotonic_ns() / 1e9 - start;
	pthread_mutex_lock(&c->lock);
	refreshed_free(&c->refreshed);
	c->refreshed = f;
	c->have_refreshed = true;
	pthread_mutex_unlock(&c->lock);
}

/* A container's cgroup still there? Removed, it is gone and its series too. */
static bool cgroup_exists(const char *cgroup, void *ctx)
{
	uint64_t keys[CGROUP_NR_KINDS];

	/* in any hierarchy: the path top and serve name it by (cgroup_key.h) */
	return cgroup_keys_of(ctx, cgroup, keys, CGROUP_NR_KINDS) > 0;
}

int serve_collector_write(void *collector, enum prom_format format, char **body, size_t *len)
{
	struct serve_collector *c = collector;
	struct metrics_containers mc = { 0 };
	struct metrics m = { .version = c->version };
	struct top_snapshot s;
	struct prom_writer w;
	double start = monotonic_ns() / 1e9;
	FILE *out;
	int err;

	out = open_memstream(body, len);
	if (!out)
		return -ENOMEM;
	pthread_mutex_lock(&c->lock);
	err = top_snapshot_take(&c->ev, &c->tf, &c->cc, &s);
	if (!err) {
		m.have_counters = true;
		m.counters = s.counters;
		m.evicted_total = top_snapshot_evicted(&s);
		m.exits_lost = s.exits_lost;
		top_report_judge_since(&c->remote_flush, &c->host, &c->mark, &s);
		m.remote_flush = &c->remote_flush;
		m.tlb_reasons = s.tlb_reasons;
		/* per container from a table read short would be wrong: they wait */
		if (!s.failed.nr && !metrics_tally_update(&c->tally, &s)) {
			c->tallied = true;
			metrics_tally_prune(&c->tally, cgroup_exists, &c->cc);
			if (!metrics_containers_build(&mc, &c->tally, c->max_containers))
				m.containers = &mc;
		}
	}
	/* the host's handled faults as last tallied: a counter never goes back */
	m.have_handled = c->tallied;
	memcpy(m.handled, c->tally.handled, sizeof(m.handled));
	dmap_changes_drain(c, &s.failed);
	/* the scrape still answers: the error count and what is known */
	if (err || s.failed.nr)
		c->scrape_errors++;
	/* each failure once on stderr; kvas_scrape_errors_total counts every one */
	read_failures_tell(&c->told, &s.failed, "serve", stderr);
	m.dmap_changes = &c->dmap_changes;
	m.refreshed = c->have_refreshed ? &c->refreshed : NULL;
	m.scrape_errors = c->scrape_errors;
	m.scrape_seconds = monotonic_ns() / 1e9 - start;
	prom_begin(&w, out, format);
	err = metrics_write(&m, &w);
	pthread_mutex_unlock(&c->lock);
	metrics_containers_free(&mc);
	top_snapshot_free(&s);
	if (fclose(out) && !err)
		err = -EIO;
	if (err) {
		free(*body);
		*body = NULL;
	}
	return err;
}
