// Karoo host layer: Arduino's IPAddress (IPv4, as NerdMiner uses it).
#pragma once

#include <stdint.h>

#include "Print.h"
#include "WString.h"

class IPAddress : public Printable {
 public:
  IPAddress() : IPAddress(0, 0, 0, 0) {}
  IPAddress(uint8_t a, uint8_t b, uint8_t c, uint8_t d) : bytes_{a, b, c, d} {}
  // Network byte order in memory, as lwIP's ip4_addr (the ESP32 core converts the same way).
  explicit IPAddress(uint32_t address);

  bool operator==(const IPAddress &other) const;
  bool operator!=(const IPAddress &other) const { return !(*this == other); }
  uint8_t operator[](int index) const { return bytes_[index & 3]; }
  uint8_t &operator[](int index) { return bytes_[index & 3]; }
  uint32_t toUint32() const;
  bool fromString(const char *address);
  String toString() const;
  size_t printTo(Print &p) const override;

 private:
  uint8_t bytes_[4];
};
