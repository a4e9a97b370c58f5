// Karoo host layer: Print (see Print.h).
#include "Print.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t Print::write(const uint8_t *buffer, size_t size) {
  size_t n = 0;
  while (size-- > 0) {
    if (write(*buffer++) == 0) break;
    n++;
  }
  return n;
}

size_t Print::write(const char *str) {
  return str == nullptr ? 0 : write(reinterpret_cast<const uint8_t *>(str), strlen(str));
}

size_t Print::printf(const char *format, ...) {
  char small[64];
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  int len = vsnprintf(small, sizeof small, format, args);
  va_end(args);
  if (len < 0) {
    va_end(again);
    return 0;
  }
  size_t n;
  if (static_cast<size_t>(len) < sizeof small) {
    n = write(reinterpret_cast<const uint8_t *>(small), static_cast<size_t>(len));
  } else {
    char *big = static_cast<char *>(malloc(static_cast<size_t>(len) + 1));
    if (big == nullptr) {
      va_end(again);
      return 0;
    }
    vsnprintf(big, static_cast<size_t>(len) + 1, format, again);
    n = write(reinterpret_cast<const uint8_t *>(big), static_cast<size_t>(len));
    free(big);
  }
  va_end(again);
  return n;
}

size_t Print::print(const __FlashStringHelper *str) { return write(reinterpret_cast<const char *>(str)); }
size_t Print::print(const String &str) { return write(str.c_str(), str.length()); }
size_t Print::print(const char str[]) { return write(str); }
size_t Print::print(char c) { return write(static_cast<uint8_t>(c)); }
size_t Print::print(unsigned char value, int base) { return printNumber(value, false, base); }
size_t Print::print(unsigned int value, int base) { return printNumber(value, false, base); }
size_t Print::print(unsigned long value, int base) { return printNumber(value, false, base); }
size_t Print::print(unsigned long long value, int base) { return printNumber(value, false, base); }
size_t Print::print(int value, int base) { return print(static_cast<long long>(value), base); }
size_t Print::print(long value, int base) { return print(static_cast<long long>(value), base); }

size_t Print::print(long long value, int base) {
  // Arduino prints a minus sign in base 10 only; other bases show the two's complement bits.
  if (base == 10 && value < 0) return printNumber(0ULL - static_cast<unsigned long long>(value), true, 10);
  return printNumber(static_cast<unsigned long long>(value), false, base);
}

size_t Print::print(double value, int digits) { return printFloat(value, digits); }
size_t Print::print(const Printable &value) { return value.printTo(*this); }

size_t Print::println() { return write("\r\n"); }
size_t Print::println(const __FlashStringHelper *str) { return print(str) + println(); }
size_t Print::println(const String &str) { return print(str) + println(); }
size_t Print::println(const char str[]) { return print(str) + println(); }
size_t Print::println(char c) { return print(c) + println(); }
size_t Print::println(unsigned char value, int base) { return print(value, base) + println(); }
size_t Print::println(int value, int base) { return print(value, base) + println(); }
size_t Print::println(unsigned int value, int base) { return print(value, base) + println(); }
size_t Print::println(long value, int base) { return print(value, base) + println(); }
size_t Print::println(unsigned long value, int base) { return print(value, base) + println(); }
size_t Print::println(long long value, int base) { return print(value, base) + println(); }
size_t Print::println(unsigned long long value, int base) { return print(value, base) + println(); }
size_t Print::println(double value, int digits) { return print(value, digits) + println(); }
size_t Print::println(const Printable &value) { return print(value) + println(); }

size_t Print::printNumber(unsigned long long magnitude, bool negative, int base) {
  if (base < 2) base = 10;
  char text[72];
  char *p = &text[sizeof text - 1];
  *p = '\0';
  do {
    unsigned digit = static_cast<unsigned>(magnitude % static_cast<unsigned>(base));
    *--p = static_cast<char>(digit < 10 ? '0' + digit : 'A' + digit - 10);
    magnitude /= static_cast<unsigned>(base);
  } while (magnitude != 0);
  if (negative) *--p = '-';
  return write(p);
}

size_t Print::printFloat(double number, int digits) {
  // The Arduino core's algorithm, which is why a board prints 0.000020000000 and not 2e-05.
  if (isnan(number)) return print("nan");
  if (isinf(number)) return print("inf");
  if (number > 4294967040.0) return print("ovf");
  if (number < -4294967040.0) return print("ovf");
  size_t n = 0;
  if (number < 0.0) {
    n += print('-');
    number = -number;
  }
  double rounding = 0.5;
  for (int i = 0; i < digits; ++i) rounding /= 10.0;
  number += rounding;
  unsigned long long whole = static_cast<unsigned long long>(number);
  double remainder = number - static_cast<double>(whole);
  n += printNumber(whole, false, 10);
  if (digits > 0) n += print('.');
  char fraction[64];
  int f = 0;
  while (digits-- > 0 && f < static_cast<int>(sizeof fraction) - 1) {
    remainder *= 10.0;
    unsigned int digit = static_cast<unsigned int>(remainder);
    fraction[f++] = static_cast<char>('0' + digit % 10);
    remainder -= digit;
  }
  fraction[f] = '\0';
  return n + write(fraction);
}
