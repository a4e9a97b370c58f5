// Karoo host layer: the Arduino-ESP32 core API the NerdMiner sources use, on Linux.
// Karoo's own code (GPL-2.0, like Karoo); no Arduino or ESP-IDF source is copied here.
#pragma once

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

typedef uint8_t byte;
typedef bool boolean;
typedef unsigned int word;

#define HIGH 0x1
#define LOW 0x0
#define INPUT 0x01
#define OUTPUT 0x03
#define INPUT_PULLUP 0x05

#define DEC 10
#define HEX 16
#define OCT 8
#define BIN 2

// ESP-IDF attributes and hints the sources use (esp_attr.h, esp_compiler.h): no meaning on a host.
#define IRAM_ATTR
#define DRAM_ATTR
#define RTC_DATA_ATTR
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

// pgmspace on the ESP32 is plain memory (arduino-esp32 cores/esp32/pgmspace.h does the same).
#define PROGMEM
#define PGM_P const char *
#define PSTR(s) (s)
#define pgm_read_byte(addr) (*(const unsigned char *)(addr))
#define pgm_read_word(addr) (*(const unsigned short *)(addr))
#define pgm_read_dword(addr) (*(const uint32_t *)(addr))
#define pgm_read_float(addr) (*(const float *)(addr))
#define pgm_read_ptr(addr) (*(void *const *)(addr))
#define strlen_P strlen
#define strcmp_P strcmp
#define strncmp_P strncmp
#define memcmp_P memcmp
#define memcpy_P memcpy
#define strcpy_P strcpy
#define strncpy_P strncpy
class __FlashStringHelper;
#define F(string_literal) (reinterpret_cast<const __FlashStringHelper *>(string_literal))

#ifdef __cplusplus
#include <algorithm>
#include <cmath>
using std::max;
using std::min;
#endif

// Time since the process ("the chip") started; unsigned long wraps at 2^32 ms in a 32-bit build,
// as on the ESP32 (arduino-esp32 esp32-hal-misc.c: esp_timer_get_time() / 1000).
unsigned long millis();
unsigned long micros();
void delay(uint32_t ms);
void delayMicroseconds(uint32_t us);
void yield();

// Arduino random(): the same generator as rand() (random.cpp), so one seed fixes both.
long random(long howbig);
long random(long howsmall, long howbig);
void randomSeed(unsigned long seed);

// No pins on a host: writes are remembered, so a sketch reading its own LED back stays consistent.
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
int digitalRead(uint8_t pin);
float temperatureRead();

#ifdef __cplusplus
#include "HardwareSerial.h"
#include "IPAddress.h"
#include "Print.h"
#include "Stream.h"
#include "WString.h"
#endif
