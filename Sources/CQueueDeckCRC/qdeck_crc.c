#include "qdeck_crc.h"
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static uint32_t crc_sse42(uint32_t crc, const unsigned char *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = _mm_crc32_u64(c, v);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n--) c32 = _mm_crc32_u8(c32, *p++);
    return c32;
}

uint32_t qdeck_crc32c_hw(uint32_t crc, const void *bytes, size_t n, int *done) {
    static int supported = -1;
    if (supported < 0) supported = __builtin_cpu_supports("sse4.2") ? 1 : 0;
    *done = supported;
    return supported ? crc_sse42(crc, (const unsigned char *)bytes, n) : 0;
}
#else
uint32_t qdeck_crc32c_hw(uint32_t crc, const void *bytes, size_t n, int *done) {
    (void)crc; (void)bytes; (void)n;
    *done = 0;
    return 0;
}
#endif
