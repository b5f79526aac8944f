#ifndef ATTRITION_CNCURSES_SHIM_H
#define ATTRITION_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/ncurses.h>

/* Macros and globals do not import into Swift: these wrap the ones the terminal layer uses. */
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_color_pair(int n) { return COLOR_PAIR(n); }
static inline int cn_key_resize(void) { return KEY_RESIZE; }
static inline int cn_key_mouse(void) { return KEY_MOUSE; }
static inline int cn_a_bold(void) { return (int)A_BOLD; }
static inline int cn_a_reverse(void) { return (int)A_REVERSE; }
static inline int cn_a_dim(void) { return (int)A_DIM; }

#endif
