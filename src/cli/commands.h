/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVAS_COMMANDS_H
#define KVAS_COMMANDS_H

#include <stdbool.h>

#define KVAS_VERSION "0.1.0"

/* Exit statuses: 3 is audit's findings at or above --fail-on (cmd_audit.c). */
#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

int cmd_layout(int argc, char **argv);
int cmd_translate(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_dmap(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_why(int argc, char **argv);

/* Shared by commands (cli_start): refuse early, with the privileges named. */
bool check_privileges(void);

#endif
