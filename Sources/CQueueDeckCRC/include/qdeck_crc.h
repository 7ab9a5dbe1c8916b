#ifndef QDECK_CRC_H
#define QDECK_CRC_H
#include <stddef.h>
#include <stdint.h>

/// CRC-32C of `n` bytes with the CPU's crc32 instruction (SSE 4.2), continuing from `crc`
/// (pre-inverted, as the software version keeps it). Returns 0 and sets *done = 0 when the CPU
/// lacks the instruction; the caller then uses its table version.
uint32_t qdeck_crc32c_hw(uint32_t crc, const void *bytes, size_t n, int *done);

#endif
