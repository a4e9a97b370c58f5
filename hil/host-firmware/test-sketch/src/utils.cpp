// Karoo's test sketch: coinbase, merkle root and header from a job (see utils.h).
#include "utils.h"

#include <string.h>

#include "ShaTests/nerdSHA256plus.h"

namespace {
int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the bytes of `hex` to out[*used..max); false on odd length, bad digits or overflow.
bool appendHex(const String &hex, uint8_t *out, size_t *used, size_t max) {
  if (hex.length() % 2 != 0 || *used + hex.length() / 2 > max) return false;
  for (unsigned i = 0; i < hex.length(); i += 2) {
    int hi = nibble(hex[i]);
    int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[(*used)++] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

// The 4 bytes of an 8-digit big-endian hex field, little-endian as the header stores it.
bool fieldLittleEndian(const String &hex, uint8_t *out) {
  uint8_t bytes[4];
  size_t used = 0;
  if (!appendHex(hex, bytes, &used, 4) || used != 4) return false;
  for (int i = 0; i < 4; i++) out[i] = bytes[3 - i];
  return true;
}
}  // namespace

bool buildHeader(const Job &job, const Subscription &subscription, uint8_t header[80]) {
  static uint8_t coinbase[2048];
  size_t length = 0;
  if (!appendHex(job.coinb1, coinbase, &length, sizeof coinbase) ||
      !appendHex(subscription.extranonce1, coinbase, &length, sizeof coinbase) ||
      !appendHex(subscription.extranonce2, coinbase, &length, sizeof coinbase) ||
      !appendHex(job.coinb2, coinbase, &length, sizeof coinbase)) {
    return false;
  }
  uint8_t merkle[64];
  sketch_sha256d(coinbase, length, merkle);
  for (size_t i = 0; i < job.branchCount; i++) {
    size_t used = 32;
    if (!appendHex(job.branches[i], merkle, &used, sizeof merkle) || used != 64) return false;
    sketch_sha256d(merkle, 64, merkle);
  }

  // Stratum sends prevhash as eight 4-byte words, each to be byte-swapped into the header.
  uint8_t prevhash[32];
  size_t used = 0;
  if (!appendHex(job.prevhash, prevhash, &used, sizeof prevhash) || used != 32) return false;
  for (int word = 0; word < 8; word++) {
    for (int i = 0; i < 4; i++) header[4 + word * 4 + i] = prevhash[word * 4 + 3 - i];
  }
  memcpy(header + 36, merkle, 32);
  if (!fieldLittleEndian(job.version, header) || !fieldLittleEndian(job.ntime, header + 68) ||
      !fieldLittleEndian(job.nbits, header + 72)) {
    return false;
  }
  memset(header + 76, 0, 4);
  return true;
}

double hashDifficulty(const uint8_t hash[32]) {
  double value = 0;
  for (int i = 31; i >= 0; i--) value = value * 256.0 + hash[i];
  const double diffOne = 65535.0 * 411376139330301510538742295639337626245683966408394965837152256.0;
  return value == 0 ? diffOne : diffOne / value;
}
