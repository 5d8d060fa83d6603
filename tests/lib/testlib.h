/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the integration tests: run the real kvas binary, parse its
 * JSON, and get ground truth from what the kernel itself publishes.
 */
#ifndef KVAS_TESTLIB_H
#define KVAS_TESTLIB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "paging.h"
#include "shootdown.h"

struct run_result {
	int status;		/* exit status, or 128 + signal */
	char *out;		/* stdout, NUL-terminated */
	char *err;		/* stderr */
};

/*
 * Run kvas (from $KVAS, else ./kvas) with args (NULL-terminated). setup, when
 * given, runs in the child before exec (to drop privileges, unshare, ...).
 */
int run_kvas(struct run_result *r, void (*setup)(void), const char *const *args);
void run_result_free(struct run_result *r);
/* Run another program (argv[0] searched in PATH) the same way. */
int run_cmd(struct run_result *r, const char *const *argv);
/* The source tree: $KVAS_SRCDIR, else the folder above build/ of this test binary. */
const char *source_dir(void);
/*
 * What kvas's RSS may grow by that is AddressSanitizer's (its quarantine of
 * freed memory, redzones, shadow) when $KVAS is a SANITIZE=1 build; else 0.
 */
long kvas_sanitizer_rss_kb(void);
/* The build output the test binary is in: build/, or build-asan/ (SANITIZE=1). */
const char *build_dir(void);

/*
 * Run kvas with args that are a usage error: 0 when it exits 2 with nothing
 * on stdout and one line on stderr; else prints what it did and returns -1.
 */
int expect_usage_error(const char *const *args);

/* kvas running in the background, its stdout and stderr going to files. */
struct bg_kvas {
	pid_t pid;
	char out_path[64], err_path[64];
};

/* Does process pid hold a BPF link to a program whose name starts with prefix? */
bool holds_link_to(pid_t pid, const char *prefix);
/* Start kvas with args; returns once its event programs are attached. */
int bg_kvas_start(struct bg_kvas *bg, const char *const *args);
/* Start it and return at once: for a kvas that attaches no tlb_flush program. */
int bg_kvas_spawn(struct bg_kvas *bg, const char *const *args);
/* Wait for it to end (sending sig first unless 0); its exit status. */
int bg_kvas_wait(struct bg_kvas *bg, int sig);
/* Its stdout or stderr, read whole (caller frees); removes nothing. */
char *bg_kvas_stdout(const struct bg_kvas *bg);
char *bg_kvas_stderr(const struct bg_kvas *bg);
void bg_kvas_cleanup(struct bg_kvas *bg);
/* Kill every background kvas and remembered child still running (a test's teardown). */
void bg_kvas_kill_all(void);
/* A child of the test (a workload) that the teardown kills if the test fails first. */
void bg_child_remember(pid_t pid);
/* ... and no longer: the test is about to reap it (its pid may be reused after). */
void bg_child_forget(pid_t pid);
/* Has it ended? (It stays unreaped, for bg_kvas_wait.) */
bool bg_kvas_ended(const struct bg_kvas *bg);
/* Its stdout up to its last complete line: what it has printed whole. */
char *bg_kvas_lines(const struct bg_kvas *bg);
/*
 * Wait until cond(its complete stdout lines, arg) holds, polling, or until
 * it ends, timeout_ms at most: true when cond held. The live commands run
 * without -d: a test waits for what kvas must show, then sends SIGINT.
 */
bool bg_kvas_wait_output(const struct bg_kvas *bg, bool (*cond)(const char *out, void *arg),
			 void *arg, int timeout_ms);

/*
 * Wait for a condition, never for a time: poll cond(arg) every few ms until
 * it holds, timeout_ms at most; whether it held.
 */
bool wait_until(bool (*cond)(void *arg), void *arg, int timeout_ms);

/* Monotonic seconds. */
double now_s(void);
/* Seconds since the epoch: what kvas's JSON "unix_time" is in. */
double unix_now_s(void);
/* A field of a JSON object as a number (0 when absent) or a string ("" when absent). */
double json_num(json_t *o, const char *key);
const char *json_str(json_t *o, const char *key);
/* For bg_kvas_wait_output: at least *(size_t *)arg complete lines are out. */
bool lines_at_least(const char *out, void *arg);
/* A cmocka teardown: kill every background kvas a failed test left running. */
int teardown_kill_kvas(void **state);
/*
 * Append what kvas wrote to a pseudo-terminal's master to *out (len used,
 * cap allocated, NUL-terminated), waiting until deadline (now_s()): false at
 * the deadline or when the terminal is closed.
 */
bool pty_read_more(int master, char **out, size_t *len, size_t *cap, double deadline);

/* A whole file as a string ("" when empty), or NULL when it cannot be opened. */
char *read_text_file(const char *path);

/* Parse r->out as JSON; fails the test if it is not one valid document. */
json_t *run_json(const struct run_result *r);
/* Run kvas with args and parse its stdout; NULL if it did not run or parse. */
json_t *run_kvas_json(const char *const *args, int *status);

/* Every JSON line of out (a live command's stream) that parses, in an array. */
json_t *json_lines_of(const char *out);

/* values.<field>.value as u64 ("0x..." or integer); false if null/absent. */
bool json_value(json_t *root, const char *field, uint64_t *v);
/* values.<field>.status */
const char *json_status(json_t *root, const char *field);
/* Does values.<field>.sources contain source? */
bool json_has_source(json_t *root, const char *field, const char *source);
/* values.<field>.evidence.<source>.value */
bool json_evidence(json_t *root, const char *field, const char *source, uint64_t *v);

/* Run a cmocka group that needs root; a one-line refusal otherwise. */
#define run_root_suite(name, tests, setup, teardown)				\
	(geteuid() ? (fprintf(stderr, "%s: integration tests need root\n", name), 1) \
		   : cmocka_run_group_tests_name(name, tests, setup, teardown))

/* Ground truth -------------------------------------------------------------- */
int truth_kallsyms(const char *sym, uint64_t *addr);	/* 0, -ENOENT, -EACCES if censored */
int truth_kernel_code_pa(uint64_t *pa);			/* /proc/iomem "Kernel code" */
int truth_pagemap_pfn(const void *va, uint64_t *pfn);	/* /proc/self/pagemap */
uint64_t truth_start_kernel(void);			/* __START_KERNEL from the config */
/* Byte offset of a member of struct page (searching anonymous members). */
int truth_struct_page_member(const char *member, uint32_t *offset, uint32_t *size);

/* Shootdown IPIs received so far, all CPUs: the TLB line of /proc/interrupts. */
uint64_t truth_tlb_interrupts(void);

/*
 * How this host carries out remote TLB flushes, as the tests decide it
 * before they wait for anything: a storm of HOST_PROBE_ROUNDS protection
 * changes of their own, and whether /proc/interrupts counted TLB IPIs for
 * it. false: the hypervisor (or INVLPGB) does them and no interrupt will
 * ever come, so a test checks the requests it caused instead. Measured once.
 */
#define HOST_PROBE_ROUNDS 500
bool host_flushes_by_ipi(void);
/*
 * A shootdown storm the host can answer: where it sends IPIs, until
 * /proc/interrupts has counted ipis more (60 s at most; fewer fails the
 * test); where it sends none, HOST_STORM_ROUNDS rounds, which must give two
 * requests each. The IPIs counted (0 without); *requests: the requests the
 * rounds made where that is known, else 0. Call host_flushes_by_ipi() before
 * kvas starts counting: its own storm is not this one's.
 */
#define HOST_STORM_ROUNDS 2000
uint64_t storm_for_host(uint64_t ipis, double *requests);
/* The requests kvas counted for such a storm are 2 per round, within 15% (+ slack). */
bool storm_requests_match(double counted, double requests, double slack);
/* The remote flush method kvas must name here: "ipi" (or KVM's partly) or "hypervisor". */
bool remote_flush_method_fits(const char *method);

int write_sysctl(const char *path, const char *value);
int read_sysctl(const char *path, char *buf, size_t len);

/*
 * Sysctls a test changes, saved in its setup and put back in its teardown
 * whatever the test did (a failed assert leaves it at once):
 *   static struct saved_sysctls s = { .path = { "/proc/sys/vm/nr_hugepages" } };
 *   cmocka_unit_test_prestate_setup_teardown(test, sysctls_save, sysctls_restore, &s)
 */
#define SAVED_SYSCTLS_MAX 2
struct saved_sysctls {
	const char *path[SAVED_SYSCTLS_MAX];
	char value[SAVED_SYSCTLS_MAX][32];
};
int sysctls_save(void **state);
int sysctls_restore(void **state);

/*
 * BPF programs with kvas's names that no live process holds: what a kvas that
 * exited left attached (a running kvas, another test's, holds its own).
 */
int count_kvas_progs(void);
/* Wait (2 s at most) for them to be freed; how many are left. */
int wait_no_kvas_progs(void);

#endif
