// SPDX-License-Identifier: GPL-2.0
/*
 * kvas serve under abuse, from loopback: 200 connections that never send a
 * byte, slow clients sending a request a byte a second, an oversized request
 * line and oversized headers, unknown paths and methods. While all that is
 * held, a good client's GET /metrics is answered within a second, and kvas
 * stays under 64 MiB of RSS and 300 open files; the slow clients are closed
 * by kvas once their request has taken longer than the bound; stderr has
 * only the rate-limited lines. Then more connections than the limit: a good
 * client still gets in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_get.h"
#include "http_guard.h"
#include "http_server.h"
#include "testlib.h"

#define IDLE_CONNS	200
#define SLOW_CONNS	8
#define SERVE_WAIT_MS	30000
#define GOOD_ANSWER_S	1.0			/* the spec's bound for /metrics */
#define RSS_LIMIT_KB	(64 * 1024)
#define FD_LIMIT	300
/* the guard looks every second; the slow clients too */
#define SLOW_CLOSE_MS	((HTTP_REQUEST_TIMEOUT_S + 20) * 1000)

static const char slow_request[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

struct slow_client {
	int fd;
	double opened, closed;			/* closed: 0 while open */
	size_t sent;
};

static struct abuse {
	struct bg_kvas bg;
	uint16_t port;
	int idle[HTTP_MAX_CONNECTIONS + 20];
	size_t nidle;
	struct slow_client slow[SLOW_CONNS];
	pthread_t slow_thread;
	bool slow_running;
	pthread_mutex_t lock;
	volatile bool stop;
} ab = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int connect_port(uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		fail_msg("connect to kvas serve: %s", strerror(errno));
	return fd;
}

/* Served, with the first refresh in. */
static bool serving(void *arg)
{
	struct http_answer a;
	bool ok = !http_request(*(uint16_t *)arg, "GET", "/metrics", NULL, &a) &&
		  a.status == 200 && strstr(a.body, "\nkvas_refresh_timestamp_seconds ");

	http_answer_free(&a);
	return ok;
}

static void serve_start(void)
{
	char listen[32];

	ab.port = free_tcp_port();
	assert_int_not_equal(ab.port, 0);
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", ab.port);
	assert_int_equal(bg_kvas_start(&ab.bg, (const char *const[]){ "serve", "--listen", listen,
								       NULL }), 0);
	if (!wait_until(serving, &ab.port, SERVE_WAIT_MS))
		fail_msg("kvas serve did not answer on port %u: %s", ab.port,
			 bg_kvas_stderr(&ab.bg));
}

/* Has the peer closed fd (its end read, or a reset)? */
static bool peer_closed(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c[256];
	ssize_t n;

	if (poll(&p, 1, 0) <= 0)
		return false;
	n = recv(fd, c, sizeof(c), MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* A byte a second to each slow client, until kvas closes it. */
static void *slow_clients(void *arg)
{
	(void)arg;
	while (!ab.stop) {
		bool open = false;

		pthread_mutex_lock(&ab.lock);
		for (int i = 0; i < SLOW_CONNS; i++) {
			struct slow_client *c = &ab.slow[i];

			if (c->closed)
				continue;
			if (peer_closed(c->fd) ||
			    send(c->fd, &slow_request[c->sent++ % (sizeof(slow_request) - 1)], 1,
				 MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
				c->closed = now_s();
			open |= !c->closed;
		}
		pthread_mutex_unlock(&ab.lock);
		if (!open)
			break;
		/* the client's pace, not a wait for kvas */
		sleep(1);
	}
	return NULL;
}

static void slow_start(void)
{
	for (int i = 0; i < SLOW_CONNS; i++) {
		ab.slow[i].fd = connect_port(ab.port);
		ab.slow[i].opened = now_s();
	}
	assert_int_equal(pthread_create(&ab.slow_thread, NULL, slow_clients, NULL), 0);
	ab.slow_running = true;
}

static bool slow_all_closed(void *arg)
{
	bool all = true;

	(void)arg;
	pthread_mutex_lock(&ab.lock);
	for (int i = 0; i < SLOW_CONNS; i++)
		all &= ab.slow[i].closed != 0;
	pthread_mutex_unlock(&ab.lock);
	return all;
}

static void idle_open(size_t n)
{
	for (; ab.nidle < n; ab.nidle++)
		ab.idle[ab.nidle] = connect_port(ab.port);
}

/* Send req whole (kvas may close early: that ends it), read the status line; 0: none. */
static int raw_status(const char *req, size_t len)
{
	int fd = connect_port(ab.port), status = 0;
	struct timeval tv = { .tv_sec = 10 };
	char buf[512];
	ssize_t n = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	for (size_t off = 0; off < len; off += n) {
		n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = 0;
		sscanf(buf, "HTTP/%*s %d", &status);
	}
	close(fd);
	return status;
}

static void assert_oversized(void)
{
	size_t big = 2 * HTTP_REQUEST_MEMORY, n = 0;
	char *req = malloc(big + 1024);
	int status;

	assert_non_null(req);
	n = sprintf(req, "GET /");
	memset(req + n, 'a', big);
	n += big;
	n += sprintf(req + n, " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
	status = raw_status(req, n);
	if (status && status != 414 && status != 431 && status != 413)
		fail_msg("an oversized request line: %d, not 414, 431 or 413", status);
	print_message("oversized request line: %d\n", status);

	n = sprintf(req, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n");
	while (n < big)
		n += sprintf(req + n, "X-Pad-%zu: %0512d\r\n", n, 0);
	n += sprintf(req + n, "\r\n");
	status = raw_status(req, n);
	if (status && status != 431 && status != 413)
		fail_msg("oversized headers: %d, not 431 or 413", status);
	print_message("oversized headers: %d\n", status);
	free(req);
}

static void assert_status(const char *method, const char *path, int status)
{
	struct http_answer a;

	assert_int_equal(http_request(ab.port, method, path, NULL, &a), 0);
	if (a.status != status)
		fail_msg("%s %s: %d, expected %d", method, path, a.status, status);
	http_answer_free(&a);
}

/* A good client's GET /metrics: 200 with kvas's metrics, within the spec's second. */
static void assert_good_client(void)
{
	struct http_answer a;
	double t0 = now_s(), took;

	assert_int_equal(http_request(ab.port, "GET", "/metrics", NULL, &a), 0);
	took = now_s() - t0;
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "\nkvas_build_info"));
	http_answer_free(&a);
	print_message("GET /metrics under abuse: %.3f s\n", took);
	if (took >= GOOD_ANSWER_S)
		fail_msg("GET /metrics took %.3f s under abuse (at most %.1f)", took,
			 GOOD_ANSWER_S);
}

static long status_kb(pid_t pid, const char *field)
{
	char path[64], *text, *p;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	text = read_text_file(path);
	assert_non_null(text);
	p = strstr(text, field);
	if (p)
		sscanf(p + strlen(field), ":%ld", &kb);
	free(text);
	return kb;
}

static size_t open_files(pid_t pid)
{
	char path[64];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* RSS and open files within bounds; at least held open files (what we hold). */
static void assert_bounded(size_t held)
{
	long rss = status_kb(ab.bg.pid, "VmRSS");
	size_t fds = open_files(ab.bg.pid);

	print_message("kvas serve: VmRSS %ld KiB, %zu open files\n", rss, fds);
	assert_true(rss > 0);
	if (rss >= RSS_LIMIT_KB)
		fail_msg("VmRSS %ld KiB (at most %d)", rss, RSS_LIMIT_KB);
	if (fds >= FD_LIMIT || fds < held)
		fail_msg("%zu open files: at least the %zu connections held, under %d", fds,
			 held, FD_LIMIT);
}

/* SIGTERM: exit 0; every stderr line one of serve's own, the refusals rate-limited. */
static void serve_stop_check_log(double started)
{
	char *err, *line, *save = NULL;
	size_t refused = 0, allowed;
	bool slow_said = false;
	int status = bg_kvas_wait(&ab.bg, SIGTERM);

	err = bg_kvas_stderr(&ab.bg);
	assert_non_null(err);
	if (status)
		fail_msg("kvas serve exited %d: %s", status, err);
	/* one at once, one per HTTP_GUARD_LOG_S after, one at the end */
	allowed = 2 + (size_t)((now_s() - started) / HTTP_GUARD_LOG_S);
	for (line = strtok_r(err, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "kvas serve: refused in the last ", 32)) {
			refused++;
			print_message("%s\n", line);
			slow_said |= !!strstr(line, "request not whole in time");
			continue;
		}
		if (strncmp(line, "kvas serve: serving http://", 27) &&
		    strncmp(line, "kvas serve: direct-map change attribution", 41))
			fail_msg("kvas serve said: %s", line);
	}
	print_message("%zu rate-limited lines (at most %zu)\n", refused, allowed);
	assert_true(refused >= 1 && refused <= allowed);
	assert_true(slow_said);
	free(err);
	bg_kvas_cleanup(&ab.bg);
	assert_int_equal(wait_no_kvas_progs(), 0);
}

static void test_abuse(void **state)
{
	double started;

	(void)state;
	serve_start();
	started = now_s();
	idle_open(IDLE_CONNS);
	slow_start();
	assert_oversized();
	assert_status("GET", "/nope", 404);
	assert_status("GET", "/metrics/../../etc/passwd", 404);
	assert_status("POST", "/metrics", 405);
	assert_status("DELETE", "/", 405);
	assert_status("BREW", "/metrics", 405);
	assert_good_client();
	assert_bounded(IDLE_CONNS + SLOW_CONNS);
	assert_false(slow_all_closed(NULL));

	if (!wait_until(slow_all_closed, NULL, SLOW_CLOSE_MS))
		fail_msg("the slow clients were not closed by kvas within %d s", SLOW_CLOSE_MS / 1000);
	for (int i = 0; i < SLOW_CONNS; i++) {
		double after = ab.slow[i].closed - ab.slow[i].opened;

		print_message("slow client %d closed after %.1f s, %zu bytes\n", i, after,
			      ab.slow[i].sent);
		/* not before the bound: the guard, not the inactivity timeout, closed it */
		assert_true(after >= HTTP_REQUEST_TIMEOUT_S - 0.5);
	}
	assert_good_client();
	serve_stop_check_log(started);
}

/* More connections than the limit: the oldest waiting make room, a scraper gets in. */
static void test_beyond_limit(void **state)
{
	(void)state;
	serve_start();
	idle_open(HTTP_MAX_CONNECTIONS + 20);
	assert_good_client();
	assert_bounded(HTTP_ROOM_CONNECTIONS - 1);
	assert_int_equal(bg_kvas_wait(&ab.bg, SIGTERM), 0);
	bg_kvas_cleanup(&ab.bg);
}

static int teardown(void **state)
{
	(void)state;
	ab.stop = true;
	if (ab.slow_running)
		pthread_join(ab.slow_thread, NULL);
	ab.slow_running = false;
	ab.stop = false;
	for (int i = 0; i < SLOW_CONNS; i++)
		if (ab.slow[i].fd > 0)
			close(ab.slow[i].fd);
	memset(ab.slow, 0, sizeof(ab.slow));
	for (size_t i = 0; i < ab.nidle; i++)
		close(ab.idle[i]);
	ab.nidle = 0;
	bg_kvas_kill_all();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_abuse, teardown),
		cmocka_unit_test_teardown(test_beyond_limit, teardown),
	};

	return run_root_suite("serve_abuse", tests, NULL, NULL);
}
