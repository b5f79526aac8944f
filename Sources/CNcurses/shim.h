#ifndef ATTRITION_CNCURSES_SHIM_H
#define ATTRITION_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/ncurses.h>
#include <signal.h>
#include <string.h>

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

static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cn_button1_clicked(void) { return (int)BUTTON1_CLICKED; }
static inline int cn_button1_released(void) { return (int)BUTTON1_RELEASED; }
static inline int cn_button1_double_clicked(void) { return (int)BUTTON1_DOUBLE_CLICKED; }
/* The wheel: button 4 is up; button 5 (down) exists with ncurses' extended mouse protocol. */
static inline int cn_button4_pressed(void) { return (int)BUTTON4_PRESSED; }
static inline int cn_button5_pressed(void) {
#ifdef BUTTON5_PRESSED
    return (int)BUTTON5_PRESSED;
#else
    return 0;
#endif
}

/* From term.h, which is not included for the macros it would bring into Swift. */
char *tigetstr(const char *capname);

/* The sequence that puts the keypad in the mode ncurses decodes (smkx), or NULL. */
static inline const char *cn_keypad_transmit(void) {
    char *sequence = tigetstr("smkx");
    return (sequence == NULL || sequence == (char *)-1) ? NULL : sequence;
}

/* Gives the terminal back: for the signal handlers of CSignals. */
static inline void cn_restore_terminal(void) { endwin(); }

#endif
