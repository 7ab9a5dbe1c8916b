// The ncursesw C API as Swift needs it. SwiftPM drops the -D flags from ncursesw.pc, so the wide
// API is switched on here; macros and C globals are wrapped in functions Swift can call.
#ifndef QDECK_CNCURSESW_SHIM_H
#define QDECK_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>

static inline WINDOW *qd_stdscr(void) { return stdscr; }
static inline int qd_lines(void) { return LINES; }
static inline int qd_cols(void) { return COLS; }
static inline int qd_colors(void) { return COLORS; }
static inline int qd_set_escdelay(int ms) { return set_escdelay(ms); }
static inline attr_t qd_attr_bold(void) { return A_BOLD; }
static inline attr_t qd_attr_reverse(void) { return A_REVERSE; }
static inline attr_t qd_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t qd_attr_dim(void) { return A_DIM; }
static inline int qd_key_code_yes(void) { return KEY_CODE_YES; }

/// Draws `n` wide characters at (y, x) with attributes and a colour pair.
static inline int qd_draw(int y, int x, const wchar_t *s, int n, attr_t attrs, short pair) {
    attr_set(attrs, pair, NULL);
    return mvaddnwstr(y, x, s, n);
}
#endif
