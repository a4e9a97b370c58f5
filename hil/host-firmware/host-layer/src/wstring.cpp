// Karoo host layer: String (see WString.h for what is faithful to the ESP32 core and why).
#include "WString.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utility>

void String::initEmpty() {
  memset(static_cast<void *>(&sso_), 0, sizeof(*this));
  sso_.isSso = 1;
}

void String::release() {
  if (!sso_.isSso) free(ptr_.buff);
  initEmpty();
}

void String::setLength(unsigned int len) {
  if (sso_.isSso) {
    sso_.len = static_cast<unsigned char>(len);
    sso_.buff[len] = '\0';
  } else {
    ptr_.len = len;
    ptr_.buff[len] = '\0';
  }
}

bool String::reserve(unsigned int size) {
  if (size <= capacity()) return true;
  if (size > KAROO_STRING_MAX) return false;
  unsigned int len = length();
  char *grown = static_cast<char *>(malloc(size + 1));
  if (grown == nullptr) return false;
  memcpy(grown, buffer(), len + 1);
  if (!sso_.isSso) free(ptr_.buff);
  sso_.isSso = 0;
  ptr_.buff = grown;
  ptr_.cap = size;
  ptr_.len = len;
  return true;
}

bool String::copy(const char *cstr, unsigned int length) {
  if (!reserve(length)) {
    release();
    return false;
  }
  memmove(wbuffer(), cstr, length);
  setLength(length);
  return true;
}

void String::move(String &rhs) noexcept {
  memcpy(static_cast<void *>(&sso_), static_cast<const void *>(&rhs.sso_), sizeof(*this));
  rhs.initEmpty();
}

String::String(const char *cstr) {
  initEmpty();
  if (cstr != nullptr) copy(cstr, static_cast<unsigned int>(strlen(cstr)));
}

String::String(const char *cstr, unsigned int length) {
  initEmpty();
  if (cstr != nullptr) copy(cstr, length);
}

String::String(const __FlashStringHelper *str) : String(reinterpret_cast<const char *>(str)) {}

String::String(const String &str) {
  initEmpty();
  copy(str.c_str(), str.length());
}

String::String(String &&str) noexcept { move(str); }

String::String(char c) {
  initEmpty();
  concat(c);
}

String::String(unsigned char value, unsigned char base) {
  initEmpty();
  appendNumber(value, false, base);
}

String::String(int value, unsigned char base) {
  initEmpty();
  // ultoa/itoa on the ESP32: only base 10 prints a minus sign.
  if (base == 10 && value < 0) {
    appendNumber(0ULL - static_cast<unsigned long long>(static_cast<long long>(value)), true, base);
  } else {
    appendNumber(static_cast<unsigned int>(value), false, base);
  }
}

String::String(unsigned int value, unsigned char base) {
  initEmpty();
  appendNumber(value, false, base);
}

String::String(long value, unsigned char base) {
  initEmpty();
  if (base == 10 && value < 0) {
    appendNumber(0ULL - static_cast<unsigned long long>(static_cast<long long>(value)), true, base);
  } else {
    appendNumber(static_cast<unsigned long>(value), false, base);
  }
}

String::String(unsigned long value, unsigned char base) {
  initEmpty();
  appendNumber(value, false, base);
}

String::String(long long value, unsigned char base) {
  initEmpty();
  if (base == 10 && value < 0) {
    appendNumber(0ULL - static_cast<unsigned long long>(value), true, base);
  } else {
    appendNumber(static_cast<unsigned long long>(value), false, base);
  }
}

String::String(unsigned long long value, unsigned char base) {
  initEmpty();
  appendNumber(value, false, base);
}

String::String(float value, unsigned int decimalPlaces) {
  initEmpty();
  appendFloat(value, decimalPlaces);
}

String::String(double value, unsigned int decimalPlaces) {
  initEmpty();
  appendFloat(value, decimalPlaces);
}

String::~String() {
  if (!sso_.isSso) free(ptr_.buff);
}

String &String::operator=(const String &rhs) {
  if (this != &rhs) copy(rhs.c_str(), rhs.length());
  return *this;
}

String &String::operator=(const char *cstr) {
  if (cstr == nullptr) {
    release();
  } else {
    copy(cstr, static_cast<unsigned int>(strlen(cstr)));
  }
  return *this;
}

String &String::operator=(const __FlashStringHelper *str) {
  return *this = reinterpret_cast<const char *>(str);
}

String &String::operator=(String &&rhs) noexcept {
  if (this != &rhs) {
    if (!sso_.isSso) free(ptr_.buff);
    move(rhs);
  }
  return *this;
}

bool String::appendNumber(unsigned long long magnitude, bool negative, unsigned char base) {
  if (base < 2 || base > 36) base = 10;
  char digits[72];
  int i = 0;
  do {
    unsigned digit = static_cast<unsigned>(magnitude % base);
    digits[i++] = static_cast<char>(digit < 10 ? '0' + digit : 'a' + digit - 10);
    magnitude /= base;
  } while (magnitude != 0);
  if (negative) digits[i++] = '-';
  char text[72];
  for (int j = 0; j < i; j++) text[j] = digits[i - 1 - j];
  return concat(text, static_cast<unsigned int>(i));
}

bool String::appendFloat(double value, unsigned int decimalPlaces) {
  // dtostrf(value, decimalPlaces + 2, decimalPlaces, buf) in the ESP32 core.
  char text[400];
  int n = snprintf(text, sizeof text, "%*.*f", static_cast<int>(decimalPlaces + 2),
                   static_cast<int>(decimalPlaces), value);
  if (n < 0) return false;
  return concat(text, static_cast<unsigned int>(n < static_cast<int>(sizeof text) ? n : sizeof text - 1));
}

bool String::concat(const char *cstr, unsigned int length) {
  if (cstr == nullptr) return false;
  if (length == 0) return true;
  unsigned int len = this->length();
  if (len + length < len) return false;
  // The source may be this string's own buffer, which reserve() may move.
  if (cstr >= buffer() && cstr < buffer() + len) {
    String copy(cstr, length);
    return concat(copy);
  }
  if (!reserve(len + length)) return false;
  memcpy(wbuffer() + len, cstr, length);
  setLength(len + length);
  return true;
}

bool String::concat(const String &str) { return concat(str.c_str(), str.length()); }
bool String::concat(const char *cstr) {
  return cstr != nullptr && concat(cstr, static_cast<unsigned int>(strlen(cstr)));
}
bool String::concat(const __FlashStringHelper *str) { return concat(reinterpret_cast<const char *>(str)); }
bool String::concat(char c) { return concat(&c, 1); }
bool String::concat(unsigned char value) { return concat(String(value)); }
bool String::concat(int value) { return concat(String(value)); }
bool String::concat(unsigned int value) { return concat(String(value)); }
bool String::concat(long value) { return concat(String(value)); }
bool String::concat(unsigned long value) { return concat(String(value)); }
bool String::concat(long long value) { return concat(String(value)); }
bool String::concat(unsigned long long value) { return concat(String(value)); }
bool String::concat(float value) { return concat(String(value)); }
bool String::concat(double value) { return concat(String(value)); }

int String::compareTo(const String &s) const { return strcmp(c_str(), s.c_str()); }
bool String::equals(const String &s) const { return length() == s.length() && compareTo(s) == 0; }
bool String::equals(const char *cstr) const {
  return cstr == nullptr ? length() == 0 : strcmp(c_str(), cstr) == 0;
}
bool String::equalsIgnoreCase(const String &s) const {
  return length() == s.length() && strcasecmp(c_str(), s.c_str()) == 0;
}

bool String::startsWith(const String &prefix) const { return startsWith(prefix, 0); }
bool String::startsWith(const String &prefix, unsigned int offset) const {
  if (offset > length() || prefix.length() > length() - offset) return false;
  return strncmp(c_str() + offset, prefix.c_str(), prefix.length()) == 0;
}
bool String::endsWith(const String &suffix) const {
  if (suffix.length() > length()) return false;
  return strcmp(c_str() + length() - suffix.length(), suffix.c_str()) == 0;
}

char String::charAt(unsigned int index) const { return index < length() ? buffer()[index] : '\0'; }
void String::setCharAt(unsigned int index, char c) {
  if (index < length()) wbuffer()[index] = c;
}
char String::operator[](unsigned int index) const { return charAt(index); }
char &String::operator[](unsigned int index) {
  static char dummy;
  if (index >= length()) {
    dummy = '\0';
    return dummy;
  }
  return wbuffer()[index];
}

void String::getBytes(unsigned char *buf, unsigned int bufsize, unsigned int index) const {
  if (bufsize == 0 || buf == nullptr) return;
  if (index >= length()) {
    buf[0] = 0;
    return;
  }
  unsigned int n = bufsize - 1;
  if (n > length() - index) n = length() - index;
  memcpy(buf, buffer() + index, n);
  buf[n] = 0;
}

void String::toCharArray(char *buf, unsigned int bufsize, unsigned int index) const {
  getBytes(reinterpret_cast<unsigned char *>(buf), bufsize, index);
}

int String::indexOf(char ch, unsigned int fromIndex) const {
  if (fromIndex >= length()) return -1;
  const char *found = static_cast<const char *>(memchr(buffer() + fromIndex, ch, length() - fromIndex));
  return found == nullptr ? -1 : static_cast<int>(found - buffer());
}

int String::indexOf(const String &str, unsigned int fromIndex) const {
  if (fromIndex > length()) return -1;
  const char *found = strstr(buffer() + fromIndex, str.c_str());
  return found == nullptr ? -1 : static_cast<int>(found - buffer());
}

int String::lastIndexOf(char ch) const { return length() == 0 ? -1 : lastIndexOf(ch, length() - 1); }
int String::lastIndexOf(char ch, unsigned int fromIndex) const {
  if (length() == 0) return -1;
  if (fromIndex >= length()) fromIndex = length() - 1;
  for (int i = static_cast<int>(fromIndex); i >= 0; i--) {
    if (buffer()[i] == ch) return i;
  }
  return -1;
}

String String::substring(unsigned int left, unsigned int right) const {
  if (left > right) std::swap(left, right);
  if (left >= length()) return String();
  if (right > length()) right = length();
  return String(buffer() + left, right - left);
}

void String::replace(char find, char replace) {
  for (char *p = wbuffer(); *p != '\0'; p++) {
    if (*p == find) *p = replace;
  }
}

void String::replace(const String &find, const String &replace) {
  if (find.length() == 0) return;
  String out;
  unsigned int at = 0;
  for (;;) {
    int hit = indexOf(find, at);
    if (hit < 0) break;
    out.concat(buffer() + at, static_cast<unsigned int>(hit) - at);
    out.concat(replace);
    at = static_cast<unsigned int>(hit) + find.length();
  }
  out.concat(buffer() + at, length() - at);
  *this = std::move(out);
}

void String::remove(unsigned int index) { remove(index, static_cast<unsigned int>(-1)); }
void String::remove(unsigned int index, unsigned int count) {
  if (index >= length()) return;
  if (count > length() - index) count = length() - index;
  char *b = wbuffer();
  memmove(b + index, b + index + count, length() - index - count);
  setLength(length() - count);
}

void String::toLowerCase() {
  for (char *p = wbuffer(); *p != '\0'; p++) *p = static_cast<char>(tolower(static_cast<unsigned char>(*p)));
}
void String::toUpperCase() {
  for (char *p = wbuffer(); *p != '\0'; p++) *p = static_cast<char>(toupper(static_cast<unsigned char>(*p)));
}

void String::trim() {
  const char *b = buffer();
  unsigned int begin = 0;
  unsigned int end = length();
  while (begin < end && isspace(static_cast<unsigned char>(b[begin]))) begin++;
  while (end > begin && isspace(static_cast<unsigned char>(b[end - 1]))) end--;
  if (begin > 0) memmove(wbuffer(), b + begin, end - begin);
  setLength(end - begin);
}

long String::toInt() const { return atol(c_str()); }
float String::toFloat() const { return static_cast<float>(atof(c_str())); }
double String::toDouble() const { return atof(c_str()); }

String operator+(const String &lhs, const String &rhs) {
  String out(lhs);
  out.concat(rhs);
  return out;
}
String operator+(const String &lhs, const char *rhs) {
  String out(lhs);
  out.concat(rhs);
  return out;
}
String operator+(const char *lhs, const String &rhs) {
  String out(lhs);
  out.concat(rhs);
  return out;
}
String operator+(const String &lhs, char rhs) {
  String out(lhs);
  out.concat(rhs);
  return out;
}
String operator+(String &&lhs, const String &rhs) {
  lhs.concat(rhs);
  return std::move(lhs);
}
String operator+(String &&lhs, const char *rhs) {
  lhs.concat(rhs);
  return std::move(lhs);
}
String operator+(String &&lhs, char rhs) {
  lhs.concat(rhs);
  return std::move(lhs);
}
