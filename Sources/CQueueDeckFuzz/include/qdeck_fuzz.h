#ifndef QDECK_FUZZ_H
#define QDECK_FUZZ_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt), for an executable whose `main` is not libFuzzer's own.
/// Only referenced when qdeck-fuzz is built with -sanitize=fuzzer (scripts/fuzz.sh).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
