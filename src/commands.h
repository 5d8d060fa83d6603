/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVAS_COMMANDS_H
#define KVAS_COMMANDS_H

#include <stdbool.h>

/* Exit statuses (DESIGN.md, Conventions). */
#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

int cmd_layout(int argc, char **argv);

/* Shared by commands: refuse early, with the privileges named. */
bool check_privileges(void);
/* libbpf's own messages only with -v. */
void setup_libbpf_logging(bool verbose);

#endif
