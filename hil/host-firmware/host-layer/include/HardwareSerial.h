// Karoo host layer: the board's UART is this process's standard output. Each print call is one
// write(2), so lines from different tasks interleave between calls, never inside one, as on the
// ESP32's UART driver.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "Stream.h"

class HardwareSerial : public Stream {
 public:
  void begin(unsigned long baud, uint32_t config = 0, int8_t rxPin = -1, int8_t txPin = -1,
             bool invert = false, unsigned long timeoutMs = 20000UL);
  void end() {}
  // There are no serial commands on the host: the console is output only.
  int available() override { return 0; }
  int read() override { return -1; }
  int peek() override { return -1; }
  size_t write(uint8_t c) override;
  size_t write(const uint8_t *buffer, size_t size) override;
  using Print::write;
  operator bool() const { return true; }
};

extern HardwareSerial Serial;
