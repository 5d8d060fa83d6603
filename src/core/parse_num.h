/* SPDX-License-Identifier: GPL-2.0 */
/* Numbers from the command line, each with its bounds. Pure logic. */
#ifndef KVAS_PARSE_NUM_H
#define KVAS_PARSE_NUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * A whole decimal number in [min, max]: 0, -EINVAL when s is not one (empty,
 * a sign, a fraction, trailing text), -ERANGE when it lies outside the bounds
 * (overflow included: "4294967297" is never taken as 1).
 */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Seconds, a decimal number more than 0 and at most max ("0.5", "2", "1e-3"). */
int parse_duration(const char *s, double max, double *out);
/* What was expected, for the error line: "a whole number from 0 to 1000000". */
char *parse_u64_expected(uint64_t min, uint64_t max, char *buf, size_t len);
char *parse_duration_expected(double max, char *buf, size_t len);

#endif
