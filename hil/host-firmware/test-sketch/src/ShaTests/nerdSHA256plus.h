// Karoo's test sketch: double SHA-256 through the mbedTLS API (as NerdMiner hashes its coinbase).
#pragma once

#include <stddef.h>
#include <stdint.h>

void sketch_sha256d(const uint8_t *data, size_t length, uint8_t out[32]);
