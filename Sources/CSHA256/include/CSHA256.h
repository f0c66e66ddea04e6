#ifndef GOLDENPATH_CSHA256_H
#define GOLDENPATH_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor has the SHA extensions (and SSSE3/SSE4.1) that the hardware path needs.
int gp_sha256_hardware_available(void);

/// Compresses `count` whole 64-byte blocks of `data` into `state` (the eight working words, host order): with the
/// processor's SHA instructions when `hardware` is 1 (only when `gp_sha256_hardware_available()` said so: the
/// check runs cpuid, slow in a virtual machine, so the caller keeps its answer), else with the portable rounds.
void gp_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t count, int hardware);

#endif
