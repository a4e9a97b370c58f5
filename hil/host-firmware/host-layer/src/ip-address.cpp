// Karoo host layer: IPAddress (see IPAddress.h).
#include "IPAddress.h"

#include <stdio.h>
#include <string.h>

IPAddress::IPAddress(uint32_t address) { memcpy(bytes_, &address, 4); }

bool IPAddress::operator==(const IPAddress &other) const { return memcmp(bytes_, other.bytes_, 4) == 0; }

uint32_t IPAddress::toUint32() const {
  uint32_t address;
  memcpy(&address, bytes_, 4);
  return address;
}

bool IPAddress::fromString(const char *address) {
  unsigned a, b, c, d;
  char tail;
  if (address == nullptr || sscanf(address, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4) return false;
  if (a > 255 || b > 255 || c > 255 || d > 255) return false;
  bytes_[0] = static_cast<uint8_t>(a);
  bytes_[1] = static_cast<uint8_t>(b);
  bytes_[2] = static_cast<uint8_t>(c);
  bytes_[3] = static_cast<uint8_t>(d);
  return true;
}

String IPAddress::toString() const {
  char text[16];
  snprintf(text, sizeof text, "%u.%u.%u.%u", bytes_[0], bytes_[1], bytes_[2], bytes_[3]);
  return String(text);
}

size_t IPAddress::printTo(Print &p) const { return p.print(toString()); }
