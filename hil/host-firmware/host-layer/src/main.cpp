// Karoo host layer: the board's setup(), on a host. It stands for NerdMinerV2.ino.cpp setup() and
// wManager.cpp init_WifiManager() once the station is up: it prints the lines those print, takes
// the pool settings from the environment instead of the WiFiManager portal, and starts the
// firmware's own tasks: the monitor and the Stratum worker (pinned to core 1, as setup() does)
// and two software miners. The ESP32's hardware-SHA miner task does not exist on a host; the
// second software miner stands in for it.
//
// Environment: KAROO_HOST_POOL_HOST, KAROO_HOST_POOL_PORT, KAROO_HOST_WALLET (btcString, the
// worker name), KAROO_HOST_POOL_PASSWORD, KAROO_HOST_SEED (random.cpp).
#include <signal.h>
#include <stdlib.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <string.h>
#include <unistd.h>

#include "Arduino.h"
#include "WiFi.h"
#include "drivers/storage/storage.h"
#include "host-random.h"
#include "mining.h"

TSettings Settings;

namespace {
const char *env(const char *name, const char *fallback) {
  const char *value = getenv(name);
  return value == nullptr || value[0] == '\0' ? fallback : value;
}

void configure() {
  Settings.PoolAddress = env("KAROO_HOST_POOL_HOST", "127.0.0.1");
  Settings.PoolPort = atoi(env("KAROO_HOST_POOL_PORT", "3333"));
  strncpy(Settings.BtcWallet, env("KAROO_HOST_WALLET", "yourBtcAddress"), sizeof Settings.BtcWallet - 1);
  Settings.BtcWallet[sizeof Settings.BtcWallet - 1] = '\0';
  strncpy(Settings.PoolPassword, env("KAROO_HOST_POOL_PASSWORD", "x"), sizeof Settings.PoolPassword - 1);
  Settings.PoolPassword[sizeof Settings.PoolPassword - 1] = '\0';
  karoo_host_seed(strtoull(env("KAROO_HOST_SEED", "1"), nullptr, 10));
}
}  // namespace

int main() {
#ifdef __linux__
  // A board does not outlive the bench that powers it: if the harness dies, so does this process.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
  signal(SIGPIPE, SIG_IGN);
  configure();
  Serial.begin(115200);
  Serial.setTimeout(0);
  Serial.println("NerdMiner v2 starting......");

  Serial.println("");
  Serial.println("WiFi connected");
  Serial.print("IP address: ");
  Serial.println(WiFi.localIP());
  Serial.print("PoolString: ");
  Serial.println(Settings.PoolAddress);
  Serial.print("portNumber: ");
  Serial.println(Settings.PoolPort);
  Serial.print("poolPassword: ");
  Serial.println(Settings.PoolPassword);
  Serial.print("btcString: ");
  Serial.println(Settings.BtcWallet);

  Serial.println("");
  Serial.println("Initiating tasks...");
  static const char monitorName[] = "(Monitor)";
  static const char stratumName[] = "(Stratum)";
  xTaskCreatePinnedToCore(runMonitor, "Monitor", 10000, (void *)monitorName, 5, nullptr, 1);
  xTaskCreatePinnedToCore(runStratumWorker, "Stratum", 15000, (void *)stratumName, 4, nullptr, 1);
  xTaskCreate(minerWorkerSw, "MinerSw-0", 6000, (void *)0, 1, nullptr);
  xTaskCreate(minerWorkerSw, "MinerSw-1", 6000, (void *)1, 1, nullptr);

  // Arduino's loop() only serves WiFiManager and the buttons, which a host has none of.
  for (;;) pause();
}
