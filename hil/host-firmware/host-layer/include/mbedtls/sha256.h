// Karoo host layer: the mbedTLS SHA-256 API (2.x names, as ESP-IDF 4.4 ships them), implemented in
// sha256.cpp. NerdMiner hashes the coinbase and the merkle branches with it (utils.cpp
// calculateMiningData).
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint32_t total[2];
  uint32_t state[8];
  unsigned char buffer[64];
  int is224;
} mbedtls_sha256_context;

#ifdef __cplusplus
extern "C" {
#endif
void mbedtls_sha256_init(mbedtls_sha256_context *ctx);
void mbedtls_sha256_free(mbedtls_sha256_context *ctx);
void mbedtls_sha256_clone(mbedtls_sha256_context *dst, const mbedtls_sha256_context *src);
int mbedtls_sha256_starts_ret(mbedtls_sha256_context *ctx, int is224);
int mbedtls_sha256_update_ret(mbedtls_sha256_context *ctx, const unsigned char *input, size_t length);
int mbedtls_sha256_finish_ret(mbedtls_sha256_context *ctx, unsigned char output[32]);
int mbedtls_sha256_ret(const unsigned char *input, size_t length, unsigned char output[32], int is224);
void mbedtls_sha256_starts(mbedtls_sha256_context *ctx, int is224);
void mbedtls_sha256_update(mbedtls_sha256_context *ctx, const unsigned char *input, size_t length);
void mbedtls_sha256_finish(mbedtls_sha256_context *ctx, unsigned char output[32]);
void mbedtls_sha256(const unsigned char *input, size_t length, unsigned char output[32], int is224);
#ifdef __cplusplus
}
#endif
