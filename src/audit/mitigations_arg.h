/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's mitigations= boot option as the kernel reads it (kernel/cpu.c,
 * Documentation/admin-guide/hw-vuln/attack_vector_controls.rst): a global
 * option (off, auto, auto,nosmt; auto when left out) and then, on kernels
 * with attack-vector controls, the vectors it turns off. Pure logic.
 */
#ifndef KVAS_MITIGATIONS_ARG_H
#define KVAS_MITIGATIONS_ARG_H

#include <stdbool.h>

enum mitigations_global { MITIGATIONS_AUTO, MITIGATIONS_AUTO_NOSMT, MITIGATIONS_OFF };

enum attack_vector {
	AV_USER_KERNEL,
	AV_USER_USER,
	AV_GUEST_HOST,
	AV_GUEST_GUEST,
	AV_CROSS_THREAD,
	AV_NR,
};

struct mitigations_arg {
	bool given;			/* mitigations= is on the command line */
	char value[160];		/* the last one's value, as given */
	enum mitigations_global global;
	bool global_named;		/* the value began with off, auto or auto,nosmt */
	bool turned_off[AV_NR];		/* by a no_* word of the value */
	char rejected[48];		/* the first word the kernel rejects, and ignores
					 * with all after it; "" when none */
};

/* The last mitigations= of a kernel command line (parameters end at "--"). */
void mitigations_arg_parse(const char *cmdline, struct mitigations_arg *m);

/* "no_user_kernel" and "user-to-kernel" */
const char *attack_vector_option(enum attack_vector v);
const char *attack_vector_name(enum attack_vector v);

#endif
