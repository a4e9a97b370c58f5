// Karoo host layer: the random numbers the firmware draws (random.cpp).
#pragma once

#include <stdint.h>

// The process-wide seed every task's rand() sequence starts from (KAROO_HOST_SEED, default 1).
void karoo_host_seed(uint64_t seed);
// The next value of the calling task's rand() sequence as an unsigned 31-bit number.
uint32_t karoo_host_random();
