// Karoo host layer: Stream (see Stream.h).
#include "Stream.h"

#include "Arduino.h"

void Stream::waitForData(unsigned long ms) { delay(ms < 1 ? ms : 1); }

int Stream::timedRead() {
  unsigned long start = millis();
  for (;;) {
    int c = read();
    if (c >= 0) return c;
    unsigned long elapsed = millis() - start;
    if (elapsed >= timeout_) return -1;
    waitForData(timeout_ - elapsed);
  }
}

int Stream::timedPeek() {
  unsigned long start = millis();
  for (;;) {
    int c = peek();
    if (c >= 0) return c;
    unsigned long elapsed = millis() - start;
    if (elapsed >= timeout_) return -1;
    waitForData(timeout_ - elapsed);
  }
}

size_t Stream::readBytes(char *buffer, size_t length) {
  size_t count = 0;
  while (count < length) {
    int c = timedRead();
    if (c < 0) break;
    buffer[count++] = static_cast<char>(c);
  }
  return count;
}

size_t Stream::readBytesUntil(char terminator, char *buffer, size_t length) {
  size_t count = 0;
  while (count < length) {
    int c = timedRead();
    if (c < 0 || c == terminator) break;
    buffer[count++] = static_cast<char>(c);
  }
  return count;
}

String Stream::readString() {
  String out;
  for (int c = timedRead(); c >= 0; c = timedRead()) out += static_cast<char>(c);
  return out;
}

String Stream::readStringUntil(char terminator) {
  // Characters past the String's limit are read and dropped (WString.h), so a line too long to
  // keep still ends at its terminator, as on a board whose heap ran out.
  String out;
  for (int c = timedRead(); c >= 0 && c != terminator; c = timedRead()) out += static_cast<char>(c);
  return out;
}
