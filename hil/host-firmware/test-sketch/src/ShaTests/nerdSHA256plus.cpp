// Karoo's test sketch: double SHA-256 (see nerdSHA256plus.h).
#include "nerdSHA256plus.h"

#include "mbedtls/sha256.h"

void sketch_sha256d(const uint8_t *data, size_t length, uint8_t out[32]) {
  uint8_t first[32];
  mbedtls_sha256_context ctx;
  mbedtls_sha256_init(&ctx);
  mbedtls_sha256_starts_ret(&ctx, 0);
  mbedtls_sha256_update_ret(&ctx, data, length);
  mbedtls_sha256_finish_ret(&ctx, first);
  mbedtls_sha256_starts_ret(&ctx, 0);
  mbedtls_sha256_update_ret(&ctx, first, sizeof first);
  mbedtls_sha256_finish_ret(&ctx, out);
  mbedtls_sha256_free(&ctx);
}
