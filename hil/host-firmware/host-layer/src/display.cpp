// Karoo host layer: the "display" of a board without one. NerdMiner's monitor task (mining.cpp
// runMonitor) calls these once a second and every 100 ms; on a no-display build (the ESP32
// DevKit the host build stands for, drivers/displays/noDisplayDriver.cpp) the screen is the
// serial line
//     >>> Completed %s share(s), %s Khashes, avg. hashrate %s KH/s
// with the hash rate as monitor.cpp getCurrentHashRate() averages and rounds it: the mean of the
// last 10 one-second rates, two decimals until it has exceeded 99.9 kH/s (after the first three
// samples), then one, and none past 999.9. monitor.cpp itself needs HTTP and NTP clients the host
// does not have, so this file computes the same line from the counters runMonitor keeps.
// The no-display driver's extra lines (valid blocks, templates, best difficulty, ...) and the LED
// are left out: no scenario reads them.
#include <stdint.h>

#include <deque>

#include "Arduino.h"

// The firmware's counters (mining.cpp), updated by runMonitor just before drawCurrentScreen.
extern volatile uint32_t shares;
extern uint32_t totalKHashes;
extern uint32_t elapsedKHs;

namespace {
enum class Scale { TwoDecimals, OneDecimal, Whole };

struct HashrateAverage {
  std::deque<double> samples;
  double top = 0.0;
  int warmup = 3;
  Scale scale = Scale::TwoDecimals;

  String next(unsigned long elapsedMs) {
    samples.push_back(elapsedMs == 0 ? 0.0 : static_cast<double>(elapsedKHs) * 1000.0 / elapsedMs);
    if (samples.size() > 10) samples.pop_front();
    double sum = 0.0;
    for (double s : samples) sum += s;
    double average = sum / static_cast<double>(samples.size());
    if (average < 0.0) average = 0.0;
    if (warmup > 0) {
      warmup--;
    } else if (average > top) {
      top = average;
      if (average > 999.9) {
        scale = Scale::Whole;
      } else if (average > 99.9 && scale == Scale::TwoDecimals) {
        scale = Scale::OneDecimal;
      }
    }
    if (scale == Scale::TwoDecimals) return String(average, 2);
    if (scale == Scale::OneDecimal) return String(average, 1);
    return String(static_cast<int>(average));
  }
};

HashrateAverage hashrate;
}  // namespace

void drawCurrentScreen(unsigned long mElapsed) {
  String rate = hashrate.next(mElapsed);
  Serial.printf(">>> Completed %s share(s), %s Khashes, avg. hashrate %s KH/s\n",
                String(static_cast<unsigned long>(shares)).c_str(),
                String(static_cast<unsigned long>(totalKHashes)).c_str(), rate.c_str());
}

void initDisplay() {}
void alternateScreenState() {}
void alternateScreenRotation() {}
void switchToNextScreen() {}
void resetToFirstScreen() {}
void drawLoadingScreen() {}
void drawSetupScreen() {}
void animateCurrentScreen(unsigned long) {}
void doLedStuff(unsigned long) {}
