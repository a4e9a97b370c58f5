// Karoo host layer: the ESP32 WiFi object. The host is always "associated": status() is
// WL_CONNECTED, the station address is loopback, and hostByName() resolves through the host's
// resolver. There is no radio, no access point and no WiFiManager portal.
#pragma once

#include <stdint.h>

#include "Arduino.h"
#include "IPAddress.h"
#include "WiFiClient.h"

typedef enum {
  WL_NO_SHIELD = 255,
  WL_IDLE_STATUS = 0,
  WL_NO_SSID_AVAIL = 1,
  WL_SCAN_COMPLETED = 2,
  WL_CONNECTED = 3,
  WL_CONNECT_FAILED = 4,
  WL_CONNECTION_LOST = 5,
  WL_DISCONNECTED = 6
} wl_status_t;

class WiFiClass {
 public:
  wl_status_t status() { return WL_CONNECTED; }
  bool reconnect() { return true; }
  bool disconnect(bool = false) { return true; }
  bool isConnected() { return true; }
  IPAddress localIP() { return IPAddress(127, 0, 0, 1); }
  String macAddress() { return String("02:00:00:00:00:01"); }
  int8_t RSSI() { return -40; }
  // 1 on success; 0 when the name does not resolve, and `result` is then 0.0.0.0 (the core does so).
  int hostByName(const char *host, IPAddress &result);
};

extern WiFiClass WiFi;
