// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record_command.h"

#define EXIT_NOT_RUN 127		/* a shell's "command not found" */

/* The child: wait for the go, then exec; an exec error goes to kvas and stderr. */
static void child(char *const argv[], int go, int exec_err)
{
	static const int reset[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
	char b;
	int err;

	for (size_t i = 0; i < sizeof(reset) / sizeof(reset[0]); i++)
		signal(reset[i], SIG_DFL);
	if (read(go, &b, 1) != 1)
		_exit(EXIT_NOT_RUN);	/* kvas gave up before it started */
	close(go);
	execvp(argv[0], argv);
	err = errno;
	fprintf(stderr, "kvas record: %s: %s\n", argv[0], strerror(err));
	if (write(exec_err, &err, sizeof(err)) < 0) {
		/* kvas sees the exit status anyway */
	}
	_exit(EXIT_NOT_RUN);
}

int record_command_fork(struct record_command *c, char *const argv[], char *why, size_t len)
{
	int go[2], exec_err[2];

	memset(c, 0, sizeof(*c));
	c->go_fd = c->exec_fd = -1;
	if (pipe2(go, O_CLOEXEC))
		goto fail;
	if (pipe2(exec_err, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		goto fail;
	}
	fflush(NULL);
	c->pid = fork();
	if (c->pid == 0) {
		close(go[1]);
		close(exec_err[0]);
		child(argv, go[0], exec_err[1]);
	}
	close(go[0]);
	close(exec_err[1]);
	if (c->pid < 0) {
		c->pid = 0;
		close(go[1]);
		close(exec_err[0]);
		goto fail;
	}
	c->go_fd = go[1];
	c->exec_fd = exec_err[0];
	return 0;
fail:
	snprintf(why, len, "cannot start %s: %s", argv[0], strerror(errno));
	return -1;
}

int record_command_go(struct record_command *c)
{
	ssize_t n;
	int err;

	if (write(c->go_fd, "", 1) != 1)
		return -1;
	close(c->go_fd);
	c->go_fd = -1;
	/* end of file: the exec closed it; an int: the exec failed */
	do
		n = read(c->exec_fd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(c->exec_fd);
	c->exec_fd = -1;
	c->exec_failed = n > 0;
	return c->exec_failed ? -1 : 0;
}

void record_command_stop(struct record_command *c)
{
	/*
	 * A failed exec: the child wrote why and is on its way to _exit(127);
	 * a SIGTERM now would race it and make record's status 143.
	 */
	if (!c->pid || c->reaped || c->exec_failed)
		return;
	if (c->go_fd >= 0) {
		close(c->go_fd);	/* never released: it exits */
		c->go_fd = -1;
	} else {
		kill(c->pid, SIGTERM);
		c->terminated = true;
	}
}

/*
 * Reap the command; one sent SIGTERM that is still there after the grace
 * (it ignores or handles SIGTERM and goes on) is killed, so that record,
 * and its programs in the kernel, never outlive their end by more.
 */
int record_command_wait(struct record_command *c)
{
	int waited_ms = 0;
	pid_t got;

	if (c->exec_fd >= 0) {
		close(c->exec_fd);
		c->exec_fd = -1;
	}
	while (!c->reaped && c->pid) {
		got = waitpid(c->pid, &c->status, c->terminated ? WNOHANG : 0);
		if (got == c->pid) {
			c->reaped = true;
		} else if (got < 0 && errno != EINTR) {
			return EXIT_NOT_RUN;
		} else if (got == 0) {
			if (waited_ms >= RECORD_COMMAND_GRACE_MS)
				kill(c->pid, SIGKILL);
			usleep(20000);
			waited_ms += 20;
		}
	}
	if (WIFSIGNALED(c->status))
		return 128 + WTERMSIG(c->status);
	return WEXITSTATUS(c->status);
}
