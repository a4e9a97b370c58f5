// Karoo host layer: time, pins and random numbers of the Arduino core.
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "Arduino.h"
#include "esp_timer.h"
#include "host-random.h"

namespace {
const auto bootTime = std::chrono::steady_clock::now();
uint8_t pinLevels[64];
}  // namespace

extern "C" int64_t esp_timer_get_time(void) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - bootTime)
      .count();
}

unsigned long millis() { return static_cast<unsigned long>(esp_timer_get_time() / 1000); }
unsigned long micros() { return static_cast<unsigned long>(esp_timer_get_time()); }
void delay(uint32_t ms) { vTaskDelay(ms / portTICK_PERIOD_MS); }
void delayMicroseconds(uint32_t us) { std::this_thread::sleep_for(std::chrono::microseconds(us)); }
void yield() { std::this_thread::yield(); }

void pinMode(uint8_t, uint8_t) {}
void digitalWrite(uint8_t pin, uint8_t val) { pinLevels[pin & 63] = val != 0 ? HIGH : LOW; }
int digitalRead(uint8_t pin) { return pinLevels[pin & 63]; }
float temperatureRead() { return 45.0f; }

long random(long howbig) {
  if (howbig <= 0) return 0;
  return static_cast<long>(karoo_host_random() % static_cast<uint32_t>(howbig));
}

long random(long howsmall, long howbig) {
  if (howsmall >= howbig) return howsmall;
  return howsmall + random(howbig - howsmall);
}

void randomSeed(unsigned long seed) {
  if (seed != 0) srand(static_cast<unsigned>(seed));
}
