// Karoo host layer: rand()/srand() as the ESP32's C library computes them, so the firmware's draws
// can be replayed and chosen.
//
// ESP-IDF's newlib keeps rand()'s state in each task's own reent structure, starting from 1, and
// steps it with a 64-bit LCG (next = next * 6364136223846793005 + 1; rand = (next >> 32) &
// 0x7fffffff). So every task draws its own sequence, the same one after every boot. Here each
// thread starts from the process seed (KAROO_HOST_SEED, default 1 like the board) and steps it the
// same way. NerdMiner waits 1 + rand() % 60 seconds after a failed connect (mining.cpp
// runStratumWorker); choosing the seed chooses those waits, which is how the harness keeps them
// short.
// <stdlib.h> is left out on purpose: its rand() declaration carries the C library's exception
// specification, and these definitions replace that function.
#include <atomic>

#include "host-random.h"

namespace {
std::atomic<uint64_t> processSeed{1};

struct TaskState {
  bool started = false;
  uint64_t next = 0;
};

thread_local TaskState state;

uint64_t &taskNext() {
  if (!state.started) {
    state.started = true;
    state.next = processSeed.load();
  }
  return state.next;
}
}  // namespace

void karoo_host_seed(uint64_t seed) { processSeed.store(seed); }

uint32_t karoo_host_random() {
  uint64_t &next = taskNext();
  next = next * 6364136223846793005ULL + 1;
  return static_cast<uint32_t>((next >> 32) & 0x7fffffffULL);
}

extern "C" void srand(unsigned int seed) {
  TaskState &s = state;
  s.started = true;
  s.next = seed;
}

extern "C" int rand(void) { return static_cast<int>(karoo_host_random()); }
