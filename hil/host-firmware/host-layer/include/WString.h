// Karoo host layer: Arduino's String with the ESP32 core's behaviour where the firmware depends on it.
//
// - Numbers: String(n, HEX) is lowercase and unpadded (ultoa), which is how NerdMiner writes the
//   nonce of a submit (stratum.cpp tx_mining_submit, String(nonce, HEX)). String(x, decimals)
//   prints like dtostrf ("%.*f").
// - Layout: the characters of a short string sit at the start of the object (small-string
//   buffer first, as in arduino-esp32's WString.h), so a String passed straight to printf's %s
//   (mining.cpp checkPoolConnection prints serverIP.toString() that way) prints its text, as it
//   does on the board.
// - Memory: a String never grows past KAROO_STRING_MAX bytes; past it, concat() fails and the
//   string is left as it was, which is what the ESP32's String does when the heap runs out.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <type_traits>

class __FlashStringHelper;

#ifndef KAROO_STRING_MAX
#define KAROO_STRING_MAX (128u * 1024u)
#endif

class String {
 public:
  String(const char *cstr = "");
  String(const char *cstr, unsigned int length);
  String(const __FlashStringHelper *str);
  String(const String &str);
  String(String &&str) noexcept;
  explicit String(char c);
  explicit String(unsigned char value, unsigned char base = 10);
  explicit String(int value, unsigned char base = 10);
  explicit String(unsigned int value, unsigned char base = 10);
  explicit String(long value, unsigned char base = 10);
  explicit String(unsigned long value, unsigned char base = 10);
  explicit String(long long value, unsigned char base = 10);
  explicit String(unsigned long long value, unsigned char base = 10);
  explicit String(float value, unsigned int decimalPlaces = 2);
  explicit String(double value, unsigned int decimalPlaces = 2);
  ~String();

  String &operator=(const String &rhs);
  String &operator=(const char *cstr);
  String &operator=(const __FlashStringHelper *str);
  String &operator=(String &&rhs) noexcept;

  bool reserve(unsigned int size);
  unsigned int length() const { return sso_.isSso ? sso_.len : ptr_.len; }
  bool isEmpty() const { return length() == 0; }
  const char *c_str() const { return buffer(); }
  char *begin() { return wbuffer(); }
  char *end() { return wbuffer() + length(); }
  const char *begin() const { return c_str(); }
  const char *end() const { return c_str() + length(); }

  bool concat(const String &str);
  bool concat(const char *cstr);
  bool concat(const char *cstr, unsigned int length);
  bool concat(const __FlashStringHelper *str);
  bool concat(char c);
  bool concat(unsigned char value);
  bool concat(int value);
  bool concat(unsigned int value);
  bool concat(long value);
  bool concat(unsigned long value);
  bool concat(long long value);
  bool concat(unsigned long long value);
  bool concat(float value);
  bool concat(double value);

  template <typename T>
  String &operator+=(const T &rhs) {
    concat(rhs);
    return *this;
  }

  int compareTo(const String &s) const;
  bool equals(const String &s) const;
  bool equals(const char *cstr) const;
  bool equalsIgnoreCase(const String &s) const;
  bool operator==(const String &rhs) const { return equals(rhs); }
  bool operator==(const char *cstr) const { return equals(cstr); }
  bool operator!=(const String &rhs) const { return !equals(rhs); }
  bool operator!=(const char *cstr) const { return !equals(cstr); }
  bool operator<(const String &rhs) const { return compareTo(rhs) < 0; }
  bool operator>(const String &rhs) const { return compareTo(rhs) > 0; }
  bool startsWith(const String &prefix) const;
  bool startsWith(const String &prefix, unsigned int offset) const;
  bool endsWith(const String &suffix) const;

  char charAt(unsigned int index) const;
  void setCharAt(unsigned int index, char c);
  char operator[](unsigned int index) const;
  char &operator[](unsigned int index);
  void getBytes(unsigned char *buf, unsigned int bufsize, unsigned int index = 0) const;
  void toCharArray(char *buf, unsigned int bufsize, unsigned int index = 0) const;

  int indexOf(char ch, unsigned int fromIndex = 0) const;
  int indexOf(const String &str, unsigned int fromIndex = 0) const;
  int lastIndexOf(char ch) const;
  int lastIndexOf(char ch, unsigned int fromIndex) const;
  String substring(unsigned int beginIndex) const { return substring(beginIndex, length()); }
  String substring(unsigned int beginIndex, unsigned int endIndex) const;

  void replace(char find, char replace);
  void replace(const String &find, const String &replace);
  void remove(unsigned int index);
  void remove(unsigned int index, unsigned int count);
  void toLowerCase();
  void toUpperCase();
  void trim();

  long toInt() const;
  float toFloat() const;
  double toDouble() const;

 private:
  // Heap or small-string storage, overlaid (arduino-esp32 WString.h keeps the same two views).
  struct Heap {
    char *buff;
    uint32_t cap;
    uint32_t len;
  };
  enum { SSO_SIZE = sizeof(Heap) + 4 - 1 };
  struct Sso {
    char buff[SSO_SIZE];
    unsigned char len : 7;
    unsigned char isSso : 1;
  } __attribute__((packed));
  union {
    Heap ptr_;
    Sso sso_;
  };

  const char *buffer() const { return sso_.isSso ? sso_.buff : ptr_.buff; }
  char *wbuffer() { return sso_.isSso ? sso_.buff : ptr_.buff; }
  unsigned int capacity() const { return sso_.isSso ? SSO_SIZE - 1 : ptr_.cap; }
  void setLength(unsigned int len);
  void initEmpty();
  void release();
  bool copy(const char *cstr, unsigned int length);
  void move(String &rhs) noexcept;
  bool appendNumber(unsigned long long magnitude, bool negative, unsigned char base);
  bool appendFloat(double value, unsigned int decimalPlaces);
};

String operator+(const String &lhs, const String &rhs);
String operator+(const String &lhs, const char *rhs);
String operator+(const char *lhs, const String &rhs);
String operator+(const String &lhs, char rhs);
String operator+(String &&lhs, const String &rhs);
String operator+(String &&lhs, const char *rhs);
String operator+(String &&lhs, char rhs);

template <typename T, typename = typename std::enable_if<std::is_arithmetic<T>::value &&
                                                         !std::is_same<T, char>::value>::type>
String operator+(const String &lhs, T rhs) {
  String out(lhs);
  out.concat(rhs);
  return out;
}
