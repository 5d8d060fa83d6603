/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas report's outputs for other tools: folded stacks (flamegraph.pl,
 * inferno, speedscope), a flame graph that needs none of them, and a
 * Perfetto trace (ui.perfetto.dev). Pure: each writes to the FILE it is
 * given; the caller opens it (and renames it into place: src/cli/outfile.c).
 */
#ifndef KVAS_REPORT_OUTPUTS_H
#define KVAS_REPORT_OUTPUTS_H

#include <stdio.h>

#include "recording.h"

/* Each returns 0, or a negative errno: -ENOMEM, or the write's error. */

/* One line per distinct call chain, root first, frames joined by ';', then a space and its count. */
int report_folded(const struct recording *r, FILE *out);
/* A self-contained SVG flame graph of events by call chain (no script); title printed at the top. */
int report_flamegraph_svg(const struct recording *r, const char *title, FILE *out);
/* A Perfetto trace (protobuf TracePacket stream). */
int report_perfetto(const struct recording *r, FILE *out);

/* Shared by the three: flush out; 0, or its write error as a negative errno. */
int report_write_status(FILE *out);

#endif
