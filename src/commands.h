/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVAS_COMMANDS_H
#define KVAS_COMMANDS_H

#include <stdbool.h>

/* Exit statuses (DESIGN.md, Conventions). */
#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

int cmd_layout(int argc, char **argv);
int cmd_translate(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_dmap(int argc, char **argv);
int cmd_audit(int argc, char **argv);

/* Shared by commands: refuse early, with the privileges named. */
bool check_privileges(void);
/* After getopt returned '?': one line naming the option, for every command. */
void usage_bad_option(const char *cmd, int argc, char **argv);
/*
 * After a command's options: refuse leftover arguments (usage error), then
 * missing privileges; set up libbpf's logging. Returns -1 to go on, or the
 * exit status to return.
 */
int options_done(const char *cmd, int argc, char **argv, bool verbose);
/* libbpf's own messages only with -v; false (said why) if KVAS_BTF is unreadable. */
bool setup_libbpf_logging(bool verbose);

#endif
