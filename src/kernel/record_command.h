/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas record -- COMMAND: the command is forked at once and waits on a
 * pipe while kvas loads its programs and follows its pid; released, it
 * execs, so it is recorded from its first instruction (perf record's
 * prepare_workload / start_workload).
 */
#ifndef KVAS_RECORD_COMMAND_H
#define KVAS_RECORD_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct record_command {
	pid_t pid;			/* 0: none */
	int go_fd;			/* written to release it; -1 once done */
	int exec_fd;			/* the child's exec error, if any; -1 once read */
	bool reaped;
	bool terminated;		/* sent SIGTERM by record_command_stop */
	bool exec_failed;		/* its exec failed: it exits 127 by itself */
	int status;			/* waitpid's */
};

/* How long a command sent SIGTERM has to exit before it is killed. */
#define RECORD_COMMAND_GRACE_MS 5000

/* Fork the command, waiting: 0, or -1 with why set. */
int record_command_fork(struct record_command *c, char *const argv[], char *why, size_t len);
/*
 * Let it exec: 0; -1 when the exec failed (the child said so on stderr,
 * as a shell does, and exits 127).
 */
int record_command_go(struct record_command *c);
/* Stop it: never released, it exits; running, it gets SIGTERM (and SIGKILL after the grace). */
void record_command_stop(struct record_command *c);
/* Wait for it: its exit status as a shell gives it (128 + signal when killed). */
int record_command_wait(struct record_command *c);

#endif
