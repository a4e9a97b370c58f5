// Karoo host layer: Arduino's Print. Numbers print as the Arduino core prints them: integers in any
// base without padding, and a double with its own digit-by-digit rounding (Print::printFloat),
// "ovf" past +/-4294967040, "nan" and "inf", which is what NerdMiner's "difficulty:" and
// "Current diff share:" lines (println(x, 12)) show on the board.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "WString.h"

class Print;

class Printable {
 public:
  virtual ~Printable() = default;
  virtual size_t printTo(Print &p) const = 0;
};

class Print {
 public:
  virtual ~Print() = default;
  virtual size_t write(uint8_t c) = 0;
  virtual size_t write(const uint8_t *buffer, size_t size);
  size_t write(const char *str);
  size_t write(const char *buffer, size_t size) {
    return write(reinterpret_cast<const uint8_t *>(buffer), size);
  }
  virtual void flush() {}

  size_t printf(const char *format, ...) __attribute__((format(printf, 2, 3)));

  size_t print(const __FlashStringHelper *str);
  size_t print(const String &str);
  size_t print(const char str[]);
  size_t print(char c);
  size_t print(unsigned char value, int base = 10);
  size_t print(int value, int base = 10);
  size_t print(unsigned int value, int base = 10);
  size_t print(long value, int base = 10);
  size_t print(unsigned long value, int base = 10);
  size_t print(long long value, int base = 10);
  size_t print(unsigned long long value, int base = 10);
  size_t print(double value, int digits = 2);
  size_t print(const Printable &value);

  size_t println(const __FlashStringHelper *str);
  size_t println(const String &str);
  size_t println(const char str[]);
  size_t println(char c);
  size_t println(unsigned char value, int base = 10);
  size_t println(int value, int base = 10);
  size_t println(unsigned int value, int base = 10);
  size_t println(long value, int base = 10);
  size_t println(unsigned long value, int base = 10);
  size_t println(long long value, int base = 10);
  size_t println(unsigned long long value, int base = 10);
  size_t println(double value, int digits = 2);
  size_t println(const Printable &value);
  size_t println();

 private:
  size_t printNumber(unsigned long long magnitude, bool negative, int base);
  size_t printFloat(double value, int digits);
};
