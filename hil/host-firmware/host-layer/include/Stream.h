// Karoo host layer: Arduino's Stream. Reads wait up to the stream's timeout (1000 ms unless
// setTimeout says otherwise) for EACH character, as Stream::timedRead does in the Arduino core:
// NerdMiner's readStringUntil('\n') after its subscribe (stratum.cpp tx_mining_subscribe) gives
// up when no character comes for a second, and so does it here.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "Print.h"
#include "WString.h"

class Stream : public Print {
 public:
  virtual int available() = 0;
  virtual int read() = 0;
  virtual int peek() = 0;

  void setTimeout(unsigned long timeout) { timeout_ = timeout; }
  unsigned long getTimeout() const { return timeout_; }

  size_t readBytes(char *buffer, size_t length);
  size_t readBytes(uint8_t *buffer, size_t length) {
    return readBytes(reinterpret_cast<char *>(buffer), length);
  }
  size_t readBytesUntil(char terminator, char *buffer, size_t length);
  String readString();
  String readStringUntil(char terminator);

 protected:
  int timedRead();
  int timedPeek();
  // Blocks until a byte may be readable or `ms` pass. The Arduino core spins on read(); the
  // host sleeps on the descriptor instead, which changes nothing but the CPU it burns.
  virtual void waitForData(unsigned long ms);

 private:
  unsigned long timeout_ = 1000;
};
