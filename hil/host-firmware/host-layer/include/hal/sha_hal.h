// Karoo host layer: the ESP32 SHA peripheral does not exist on a host. NerdMiner includes this
// header unconditionally (mining.cpp) but uses the peripheral only inside CONFIG_IDF_TARGET_*
// blocks, which a host build leaves out: its hardware miner task is not built, and the software
// miner tasks do all the hashing.
#pragma once
