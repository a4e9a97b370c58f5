// Karoo's test sketch: the tasks the host layer starts, named as NerdMiner names them.
#pragma once

#include <stdint.h>

void runMonitor(void *name);
void runStratumWorker(void *name);
void minerWorkerSw(void *task_id);

// What the monitor reads: shares found, and thousands of hashes done (all and in the last second).
extern volatile uint32_t shares;
extern uint32_t totalKHashes;
extern uint32_t elapsedKHs;
