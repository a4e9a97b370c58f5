// Karoo's test sketch: the settings the host layer fills in (host-layer/src/main.cpp), with the
// field names NerdMiner's own TSettings has.
#pragma once

#include <Arduino.h>

struct TSettings {
  String PoolAddress{"127.0.0.1"};
  char BtcWallet[80]{"yourBtcAddress"};
  char PoolPassword[80]{"x"};
  int PoolPort{3333};
  bool saveStats{false};
};
