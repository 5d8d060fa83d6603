/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal a live command runs on, as top and htop use it: the screen
 * that top redraws (the alternate screen, clipped to the window, redrawn at
 * once on a resize), keys read without Enter, and the terminal given back as
 * it was found on every way out: the end, q, a signal that ends or stops
 * kvas (raw mode taken again when it continues), even a crash.
 */
#ifndef KVAS_TERMINAL_H
#define KVAS_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>

/* Can stdout show a screen: a terminal, with a TERM known to take ANSI sequences? */
bool term_can_draw(void);

/* Read keys on stdin without Enter or echo (nothing when it is no terminal). */
void term_keys_raw(void);
/* The same, and the alternate screen on stdout, for term_draw(). */
void term_screen_open(void);
/* Give the terminal back as it was found (again: nothing). */
void term_restore(void);

/*
 * Show frame (lines of text) as the screen, clipped to the window's rows
 * and columns; kept, to be redrawn on a resize or when kvas continues
 * after a stop. False on a write error.
 */
bool term_draw(const char *frame, size_t len);

/*
 * Wait up to ms for a key, redrawing the screen when the window changed
 * size and taking the terminal again after a stop; returns early when a
 * signal comes. True when the key was q.
 */
bool term_wait_key(int ms);

#endif
