// Karoo host layer: Serial is standard output (see HardwareSerial.h).
#include "HardwareSerial.h"

#include <errno.h>
#include <unistd.h>

HardwareSerial Serial;

void HardwareSerial::begin(unsigned long, uint32_t, int8_t, int8_t, bool, unsigned long) {}

size_t HardwareSerial::write(uint8_t c) { return write(&c, 1); }

size_t HardwareSerial::write(const uint8_t *buffer, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(STDOUT_FILENO, buffer + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}
