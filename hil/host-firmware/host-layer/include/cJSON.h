// Karoo host layer: NerdMiner's stratum.h includes ESP-IDF's cJSON.h but calls none of it (its
// JSON is ArduinoJson). Nothing is declared here, so a firmware that starts using cJSON fails to
// build with the missing symbol named, rather than running against a stand-in.
#pragma once
