// SPDX-License-Identifier: GPL-2.0
/*
 * Ground truth inside a QEMU guest, independent of kvas: symbol addresses
 * from /proc/kallsyms, and the variables' values read from /proc/kcore (an
 * ELF core file of the kernel's address space). Prints one JSON object.
 * Runs before the guest raises kptr_restrict.
 *
 *   truth                      the layout, as JSON, with what the guest's
 *                              kernel and CPU offer (release, LA57, secretmem)
 *   truth --targets            addresses for kvas translate to work on
 *   truth --touch N [F]        write N fresh pages, then F times take write
 *                              access away from them (a TLB flush each); print
 *                              the pid, where, and the pages' frames from
 *                              /proc/self/pagemap, as JSON
 *   truth --secret N           fault in N memfd_secret pages, print the first
 *                              one's PA and the direct-map splits the kernel
 *                              counted meanwhile, hold them until SIGINT or
 *                              SIGTERM (120 s at most), print the pid
 *   truth --check-trace F T    check kvas trace's JSON Lines in F against the
 *                              pages of truth --touch's output T
 *   truth --check-top F T      what kvas top's JSON Lines in F count under the
 *                              pid of truth --touch's output T
 *   truth --check-dmap-read F S T  did kvas dmap -i's JSON Lines in F show a
 *                              kernel fault by kvas at the direct-map alias of
 *                              the secret page of truth --secret's output S,
 *                              with the page_offset_base of truth's output T
 *   truth --check-translate F T  check kvas translate's JSON in F against
 *                              kcore (and /proc/PID/mem for user pages), with
 *                              the page_offset_base of truth's own output T
 *   truth --check-page T       make an anon page, a file page and a THP, run
 *                              kvas translate --page on them (and on _text
 *                              from truth's output T) and check it against
 *                              /proc/kpageflags and /proc/kpagecount
 *
 * The --check-* modes print JSON and exit 0 when what they look for is all
 * there, 3 when not (yet): the guest polls them while kvas runs.
 */
#include <cpuid.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <jansson.h>

#include "kpage.h"
#include "paging.h"
#include "procfs.h"
#include "procfs_read.h"

#define MAX_PHDRS 512

static Elf64_Phdr phdrs[MAX_PHDRS];
static int nr_phdrs;

static int kallsyms(const char *sym, uint64_t *addr)
{
	bool censored;

	return kallsyms_find(sym, addr, &censored) > 0 ? 0 : -ENOENT;
}

static int kcore_open(void)
{
	int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;

	if (fd < 0)
		return -errno;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_phnum > MAX_PHDRS)
		return -EINVAL;
	nr_phdrs = eh.e_phnum;
	if (pread(fd, phdrs, sizeof(phdrs[0]) * nr_phdrs, eh.e_phoff) !=
	    (ssize_t)(sizeof(phdrs[0]) * nr_phdrs))
		return -EIO;
	return fd;
}

static int kcore_read(int fd, uint64_t va, void *buf, size_t len)
{
	for (int i = 0; i < nr_phdrs; i++) {
		const Elf64_Phdr *ph = &phdrs[i];

		if (ph->p_type != PT_LOAD || va < ph->p_vaddr ||
		    va + len > ph->p_vaddr + ph->p_memsz)
			continue;
		return pread(fd, buf, len, ph->p_offset + (va - ph->p_vaddr)) ==
		       (ssize_t)len ? 0 : -EIO;
	}
	return -ENOENT;
}

/* A variable's value: its address from kallsyms, its bytes from kcore. */
static void print_var(int fd, const char *json_name, const char *sym, size_t size)
{
	uint64_t addr, value = 0;

	if (kallsyms(sym, &addr) || kcore_read(fd, addr, &value, size)) {
		printf("  \"%s\": null,\n", json_name);
		return;
	}
	printf("  \"%s\": \"0x%llx\",\n", json_name, (unsigned long long)value);
}

static uint64_t var_value(int fd, const char *sym)
{
	uint64_t addr, value = 0;

	if (kallsyms(sym, &addr) || kcore_read(fd, addr, &value, 8))
		return 0;
	return value;
}

/* Does the CPU (what QEMU offers) have LA57? CPUID.(EAX=7,ECX=0):ECX[16] */
static bool cpu_la57(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 16));
}

/*
 * What this kernel offers the tests, as the guest shows it: its release, and
 * memfd_secret's boot switch ("Y", "N", or null where the kernel has none).
 */
static void print_kernel(void)
{
	char enable[8] = "";
	struct utsname u;

	uname(&u);
	printf("  \"release\": \"%s\",\n", u.release);
	printf("  \"cpu_la57\": %s,\n", cpu_la57() ? "true" : "false");
	if (read_small_file("/sys/module/secretmem/parameters/enable", enable, sizeof(enable)) > 0)
		printf("  \"secretmem\": \"%c\",\n", enable[0]);
	else
		printf("  \"secretmem\": null,\n");
}

static int print_layout(int fd)
{
	uint64_t text, l5 = 0, l5_addr;
	int levels;

	printf("{\n");
	print_kernel();
	print_var(fd, "page_offset_base", "page_offset_base", 8);
	print_var(fd, "vmalloc_base", "vmalloc_base", 8);
	print_var(fd, "vmemmap_base", "vmemmap_base", 8);
	print_var(fd, "phys_base", "phys_base", 8);
	/*
	 * The kernel's own switch where it has one (kernels built without
	 * 5-level support have none); a mapping above 47 bits where not.
	 */
	if (!kallsyms("__pgtable_l5_enabled", &l5_addr))
		levels = !kcore_read(fd, l5_addr, &l5, 4) && l5 ? 5 : 4;
	else
		levels = truth_paging_levels();
	printf("  \"paging_levels\": %d,\n", levels);
	if (kallsyms("_text", &text))
		printf("  \"_text\": null\n");
	else
		printf("  \"_text\": \"0x%llx\"\n", (unsigned long long)text);
	printf("}\n");
	return 0;
}

/* A present page of pid 1's stack: the top page always is. */
static uint64_t init_stack_page(void)
{
	FILE *f = fopen("/proc/1/maps", "re");
	char line[512];
	unsigned long long start, end;
	uint64_t page = 0;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") && sscanf(line, "%llx-%llx", &start, &end) == 2)
			page = end - 4096;
	if (f)
		fclose(f);
	return page;
}

/*
 * A mapped vmalloc address. %pK shows real addresses to root only with
 * kptr_restrict=1, so switch to it while reading /proc/vmallocinfo.
 */
static uint64_t vmalloc_target(void)
{
	char saved[8] = "", line[512];
	unsigned long long start = 0, end;
	uint64_t found = 0;
	FILE *f;
	int fd = open("/proc/sys/kernel/kptr_restrict", O_RDWR | O_CLOEXEC);

	if (fd < 0 || read(fd, saved, sizeof(saved) - 1) <= 0 ||
	    pwrite(fd, "1", 1, 0) != 1)
		goto out;
	f = fopen("/proc/vmallocinfo", "re");
	while (f && !found && fgets(line, sizeof(line), f))
		if (strstr(line, " vmalloc") && !strstr(line, "ioremap") &&
		    sscanf(line, "0x%llx-0x%llx", &start, &end) == 2 &&
		    start < 0xffffffff80000000ULL)
			found = start;
	if (f)
		fclose(f);
	pwrite(fd, saved, strlen(saved), 0);
out:
	if (fd >= 0)
		close(fd);
	return found;
}

static int print_targets(int fd)
{
	static const char *const symbols[] = { "_text", "schedule", "jiffies_64", "init_top_pgt" };
	uint64_t pob = var_value(fd, "page_offset_base");
	uint64_t vmemmap = var_value(fd, "vmemmap_base");
	uint64_t text, code_pa = 0, stack, vmalloc;
	struct iomem io;

	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (!kallsyms(symbols[i], &text))
			printf("%llx ", (unsigned long long)text + 0x40);
	if (!iomem_read(&io) && io.kernel_code_found)
		code_pa = io.kernel_code.start;
	printf("%llx %llx ", (unsigned long long)(pob + code_pa + 0x123),
	       (unsigned long long)(pob + 0x100000));
	printf("%llx ", (unsigned long long)(vmemmap + (code_pa >> 12) * 64));
	vmalloc = vmalloc_target();
	if (vmalloc)
		printf("%llx ", (unsigned long long)vmalloc + 0x10);
	stack = init_stack_page();
	if (stack)
		printf("%llx", (unsigned long long)stack + 0x80);
	printf("\n");
	return 0;
}

static int read_user(pid_t pid, uint64_t va, void *buf, size_t len)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, len, va);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

static uint64_t hex(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? strtoull(s, NULL, 16) : 0;
}

/*
 * For every address kvas translated, the bytes at the address (kcore, or the
 * process's memory) equal the bytes at page_offset_base + PA, with the base
 * this program read itself.
 */
static int check_translate(int fd, const char *path, const char *truth_path)
{
	json_t *truth = json_load_file(truth_path, 0, NULL);
	uint64_t pob = hex(truth, "page_offset_base");
	json_t *root = json_load_file(path, 0, NULL), *o, *bad = json_array();
	unsigned char at_va[256], at_pa[256];
	size_t i, checked = 0;

	if (!json_is_array(root)) {
		fprintf(stderr, "truth: %s is not a JSON array\n", path);
		return 1;
	}
	json_array_foreach(root, i, o) {
		const char *method = json_string_value(json_object_get(o, "method"));
		const char *kind = json_string_value(json_object_get(o, "kind"));
		uint64_t va = strtoull(json_string_value(json_object_get(o, "input")), NULL, 16);
		uint64_t pa = hex(o, "pa");
		char why[160] = "";
		int err;

		if (!method)
			continue;	/* kvas reported an error for it */
		/* A struct page address: compare where it is stored, not what it describes. */
		if (strstr(method, "vmemmap"))
			pa = hex(o, "walk_pa");
		/*
		 * Data targets (jiffies_64 and its neighbours) change while we
		 * read: a timer tick between the two reads is not a mismatch, so
		 * retry a few times and keep the first agreeing pair.
		 */
		for (int tries = 0; tries < 8; tries++) {
			if (!strcmp(kind, "user"))
				err = read_user(json_integer_value(json_object_get(o, "pid")),
						va, at_va, sizeof(at_va));
			else
				err = kcore_read(fd, va, at_va, sizeof(at_va));
			err = err ?: kcore_read(fd, pob + pa, at_pa, sizeof(at_pa));
			if (err || !memcmp(at_va, at_pa, sizeof(at_va)))
				break;
		}
		if (err)
			snprintf(why, sizeof(why), "%llx: unreadable in kcore", (unsigned long long)va);
		else if (memcmp(at_va, at_pa, sizeof(at_va)))
			snprintf(why, sizeof(why), "%llx: bytes differ from page_offset_base + PA 0x%llx",
				 (unsigned long long)va, (unsigned long long)pa);
		else if (!strstr(method, "vmemmap") && hex(o, "direct_map_alias") != pob + hex(o, "pa"))
			snprintf(why, sizeof(why), "%llx: alias 0x%llx, truth 0x%llx", (unsigned long long)va,
				 (unsigned long long)hex(o, "direct_map_alias"),
				 (unsigned long long)(pob + hex(o, "pa")));
		if (why[0])
			json_array_append_new(bad, json_string(why));
		checked++;
	}
	printf("{ \"checked\": %zu, \"mismatches\": %s }\n", checked, json_dumps(bad, JSON_COMPACT));
	return 0;
}

/* The frame of this process's page at va, from /proc/self/pagemap. */
static int pagemap_pfn(const void *va, uint64_t *pfn)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	uint64_t entry = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pread(fd, &entry, 8, (uintptr_t)va / 4096 * 8);
	close(fd);
	if (n != 8 || !(entry & (1ULL << 63)))
		return -EIO;
	*pfn = entry & ((1ULL << 55) - 1);
	return 0;
}

/*
 * A known workload: n write faults, then flushes TLB flushes. Taking write
 * access away from present pages makes the kernel flush them from this
 * CPU's TLB (giving it back needs no flush), one tlb:tlb_flush each time.
 */
static int touch(long n, long flushes)
{
	char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || n <= 0 || flushes < 0)
		return 1;
	madvise(p, n * 4096, MADV_NOHUGEPAGE);
	for (long i = 0; i < n; i++)
		p[i * 4096] = 1;
	for (long i = 0; i < flushes; i++)
		if (mprotect(p, n * 4096, PROT_READ) || mprotect(p, n * 4096, PROT_READ | PROT_WRITE))
			return 1;
	printf("{ \"pid\": %d, \"flushes\": %ld, \"base\": \"0x%llx\", \"pfns\": [",
	       getpid(), flushes, (unsigned long long)(uintptr_t)p);
	for (long i = 0; i < n; i++) {
		uint64_t pfn = 0;

		pagemap_pfn(p + i * 4096, &pfn);
		printf("%s%llu", i ? ", " : "", (unsigned long long)pfn);
	}
	printf("] }\n");
	return 0;
}

/* The kernel's own count of direct-map splits (2M->4K and 1G->2M), /proc/vmstat. */
static long long direct_map_splits(void)
{
	FILE *f = fopen("/proc/vmstat", "re");
	long long n, sum = -1;
	char name[64];

	while (f && fscanf(f, "%63s %lld", name, &n) == 2)
		if (!strcmp(name, "direct_map_level2_splits") ||
		    !strcmp(name, "direct_map_level3_splits"))
			sum = (sum < 0 ? 0 : sum) + n;
	if (f)
		fclose(f);
	return sum;
}

static void on_stop(int sig)
{
	(void)sig;
}

/*
 * Take n pages out of the direct map: fault them in through memfd_secret.
 * Held until the guest has seen what it waits for and sends SIGINT or
 * SIGTERM, 120 s at most.
 */
static int secret(long n)
{
	struct sigaction sa = { .sa_handler = on_stop };
	int fd = (int)syscall(447 /* memfd_secret */, 0);
	sigset_t stop, old;
	long long splits;
	uint64_t pfn;
	char *p;

	/* Blocked from here on, so that a signal sent early is not lost. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGALRM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);

	if (fd < 0 || n <= 0 || ftruncate(fd, n * 4096)) {
		printf("{ \"pid\": %d, \"error\": \"%s\" }\n", getpid(), strerror(errno));
		return 1;
	}
	p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("{ \"pid\": %d, \"error\": \"mmap: %s\" }\n", getpid(), strerror(errno));
		return 1;
	}
	splits = direct_map_splits();
	for (long i = 0; i < n; i++)
		p[i * 4096] = 1;
	/*
	 * The first page's PA, for a kernel read that must fault in the direct
	 * map, and how many splits the kernel counted meanwhile: none where the
	 * pages all lay in memory the direct map already maps with 4K pages.
	 */
	if (splits >= 0)
		splits = direct_map_splits() - splits;
	if (!pagemap_pfn(p, &pfn))
		printf("{ \"pid\": %d, \"secret_pa\": \"0x%llx\", \"splits\": %lld }\n", getpid(),
		       (unsigned long long)pfn * 4096, splits);
	fflush(stdout);
	alarm(120);
	sigsuspend(&old);
	printf("{ \"pid\": %d, \"pages\": %ld }\n", getpid(), n);
	return 0;
}

/* kvas trace saw each touched page's write fault and its frame. */
static int check_trace(const char *trace_path, const char *touch_path)
{
	json_t *t = json_load_file(touch_path, 0, NULL), *pfns = json_object_get(t, "pfns");
	uint64_t base = hex(t, "base"), n = json_array_size(pfns);
	json_int_t pid = json_integer_value(json_object_get(t, "pid"));
	FILE *f = fopen(trace_path, "re");
	json_t *bad = json_array();
	size_t faults = 0, translated = 0;
	char *line = NULL;
	size_t cap = 0;

	/* kvas's JSON lines have no length limit */
	while (f && getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		const char *event = json_string_value(json_object_get(o, "event"));
		uint64_t addr = hex(o, "address"), page;

		if (!event || addr < base || addr >= base + n * 4096 ||
		    json_number_value(json_object_get(o, "pid")) != pid) {	/* a JSON real */
			json_decref(o);
			continue;
		}
		page = (addr - base) / 4096;
		if (!strcmp(event, "fault-user"))
			faults++;
		if (!strcmp(event, "translation")) {
			uint64_t want = json_integer_value(json_array_get(pfns, page)) * 4096;

			if (hex(o, "pa") != want) {
				char why[96];

				snprintf(why, sizeof(why), "page %llu: pa 0x%llx, pagemap 0x%llx",
					 (unsigned long long)page, (unsigned long long)hex(o, "pa"),
					 (unsigned long long)want);
				json_array_append_new(bad, json_string(why));
			}
			translated++;
		}
		json_decref(o);
	}
	if (f)
		fclose(f);
	free(line);
	printf("{ \"pid\": %lld, \"touched\": %llu, \"faults\": %zu, \"translated\": %zu, \"mismatches\": %s }\n",
	       (long long)pid, (unsigned long long)n, faults, translated,
	       json_dumps(bad, JSON_COMPACT));
	/* the last page or two wait for a next event of the thread to be translated */
	return n && faults >= n && translated + 2 >= n ? 0 : 3;
}

/*
 * What kvas top's intervals count under the pid of truth --touch's output:
 * each row gives rates over its interval, so rate * interval is the count.
 */
static int check_top(const char *top_path, const char *touch_path)
{
	json_t *t = json_load_file(touch_path, 0, NULL);
	json_int_t pid = json_integer_value(json_object_get(t, "pid"));
	json_int_t flushes = json_integer_value(json_object_get(t, "flushes"));
	size_t n = json_array_size(json_object_get(t, "pfns")), intervals = 0;
	double faults_seen = 0, flushes_seen = 0;
	FILE *f = fopen(top_path, "re");
	char *line = NULL;
	size_t cap = 0;

	while (pid && f && getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL), *row;
		double secs = json_real_value(json_object_get(o, "interval_s"));
		size_t i;

		intervals += o != NULL;
		json_array_foreach(json_object_get(o, "processes"), i, row) {
			if (json_integer_value(json_object_get(row, "pid")) != pid)
				continue;
			faults_seen += json_number_value(json_object_get(row, "faults_per_s")) * secs;
			flushes_seen += json_number_value(json_object_get(row, "tlb_flushes_per_s")) * secs;
		}
		json_decref(o);
	}
	if (f)
		fclose(f);
	free(line);
	printf("{ \"pid\": %lld, \"touched\": %zu, \"flushes\": %lld, \"intervals\": %zu,"
	       " \"faults_seen\": %.0f, \"flushes_seen\": %.0f }\n", (long long)pid, n,
	       (long long)flushes, intervals, faults_seen, flushes_seen);
	json_decref(t);
	return pid && (long long)(faults_seen + 0.5) >= (long long)n &&
	       (long long)(flushes_seen + 0.5) >= flushes ? 0 : 3;
}

/*
 * A kernel fault by kvas at page_offset_base + PA of truth --secret's first
 * page, in kvas dmap -i's intervals: kvas translate --read of that page.
 */
static int check_dmap_read(const char *dmap_path, const char *secret_path, const char *truth_path)
{
	json_t *truth = json_load_file(truth_path, 0, NULL);
	uint64_t alias = hex(truth, "page_offset_base"), pa = 0;
	FILE *f = fopen(secret_path, "re");
	char *line = NULL;
	size_t cap = 0, seen = 0;

	while (f && getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);

		if (hex(o, "secret_pa"))
			pa = hex(o, "secret_pa");
		json_decref(o);
	}
	if (f)
		fclose(f);
	alias += pa;
	f = pa ? fopen(dmap_path, "re") : NULL;
	while (f && getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL), *kf;
		size_t i;

		json_array_foreach(json_object_get(o, "kernel_faults"), i, kf) {
			const char *comm = json_string_value(json_object_get(kf, "comm"));

			seen += hex(kf, "address") == alias && comm && !strcmp(comm, "kvas");
		}
		json_decref(o);
	}
	if (f)
		fclose(f);
	free(line);
	printf("{ \"secret_pa\": \"0x%llx\", \"alias\": \"0x%llx\", \"kernel_faults\": %zu }\n",
	       (unsigned long long)pa, (unsigned long long)alias, seen);
	json_decref(truth);
	return pa && seen ? 0 : 3;
}

/*
 * kvas translate --page on this process's own pages, against what the
 * kernel publishes of them; and _text (no PVM in QEMU: no US explanation).
 */
static int check_page(const char *truth_path)
{
	json_t *truth = json_load_file(truth_path, 0, NULL), *root, *bad = json_array();
	char cmd[512];
	int n, checked = 0, idx[KT_NR], at = 0;
	struct kpage_targets t;
	bool us_reason;
	FILE *p;

	if (kpage_targets_make(&t)) {
		fprintf(stderr, "truth: cannot make the pages to check: %s\n", strerror(errno));
		return 1;
	}
	n = snprintf(cmd, sizeof(cmd), "kvas translate --json --page -p %d", getpid());
	for (int i = 0; i < KT_NR; i++) {
		idx[i] = t.va[i] ? at++ : -1;
		if (t.va[i])
			n += snprintf(cmd + n, sizeof(cmd) - n, " %p", t.va[i]);
	}
	snprintf(cmd + n, sizeof(cmd) - n, " %llx", (unsigned long long)hex(truth, "_text"));
	p = popen(cmd, "r");
	root = p ? json_loadf(p, 0, NULL) : NULL;
	if (p)
		pclose(p);
	if (!root) {
		fprintf(stderr, "truth: no JSON from %s\n", cmd);
		return 1;
	}
	for (int i = 0; i < KT_NR; i++)
		if (idx[i] >= 0)
			checked += kpage_check(&t, i, json_array_get(root, idx[i]), bad);
	us_reason = json_object_get(json_array_get(root, at), "us_reason") != NULL;
	printf("{ \"checked\": %d, \"thp\": %s, \"thp_skip\": \"%s\", \"us_reason\": %s, "
	       "\"mismatches\": %s }\n", checked, t.va[KT_THP_HEAD] ? "true" : "false",
	       t.thp_skip, us_reason ? "true" : "false", json_dumps(bad, JSON_COMPACT));
	kpage_targets_free(&t);
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	/* These two need no /proc/kcore. */
	if (argc > 2 && !strcmp(argv[1], "--touch"))
		return touch(atol(argv[2]), argc > 3 ? atol(argv[3]) : 0);
	if (argc > 2 && !strcmp(argv[1], "--secret"))
		return secret(atol(argv[2]));
	if (argc > 3 && !strcmp(argv[1], "--check-trace"))
		return check_trace(argv[2], argv[3]);
	if (argc > 3 && !strcmp(argv[1], "--check-top"))
		return check_top(argv[2], argv[3]);
	if (argc > 4 && !strcmp(argv[1], "--check-dmap-read"))
		return check_dmap_read(argv[2], argv[3], argv[4]);
	if (argc > 2 && !strcmp(argv[1], "--check-page"))
		return check_page(argv[2]);
	fd = kcore_open();

	if (fd < 0) {
		fprintf(stderr, "truth: cannot read /proc/kcore: %s\n", strerror(-fd));
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "--targets"))
		return print_targets(fd);
	if (argc > 3 && !strcmp(argv[1], "--check-translate"))
		return check_translate(fd, argv[2], argv[3]);
	return print_layout(fd);
}
