#define _XOPEN_SOURCE 700
#define _GNU_SOURCE
#include <locale.h>
#include <wchar.h>
#include "qdeck_width.h"

static __thread locale_t utf8_locale = (locale_t)0;

int qdeck_wcwidth(unsigned int scalar) {
    if (scalar >= 0x20 && scalar < 0x7F) return 1;
    if (utf8_locale == (locale_t)0) {
        utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
        if (utf8_locale == (locale_t)0) return scalar < 0x7F ? -1 : 1;
    }
    locale_t previous = uselocale(utf8_locale);
    int w = wcwidth((wchar_t)scalar);
    uselocale(previous);
    return w;
}
