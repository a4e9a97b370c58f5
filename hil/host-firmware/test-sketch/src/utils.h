// Karoo's test sketch: block header assembly and share difficulty.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "stratum.h"

// The 80-byte header of `job` for this subscription, nonce 0; false on malformed hex.
bool buildHeader(const Job &job, const Subscription &subscription, uint8_t header[80]);
// Difficulty of a double-SHA-256 (as hashed, little-endian): difficulty 1 is 0xffff << 208.
double hashDifficulty(const uint8_t hash[32]);
